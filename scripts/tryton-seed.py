#!/usr/bin/python3
"""Seeds a freshly initialised Tryton 6.0 database over JSON-RPC with the Acme master data the hub's samples use
(samples/acme/materials.yaml, plant-01): company, warehouse, products, BOMs, opening stock and a few planned
production orders. Standard library only; run with /usr/bin/python3 (pyenv's python3 has no trytond, and none is
needed here). Usage: tryton-seed.py URL PASSWORD   (URL like http://127.0.0.1:8123/erp/)"""
import base64, json, sys, urllib.request

URL, PASSWORD = sys.argv[1], sys.argv[2]
_auth, _ctx = None, {}


def rpc(method, *params, ctx=True):
    body = json.dumps({"id": 1, "method": method, "params": list(params) + ([_ctx] if ctx else [])}).encode()
    req = urllib.request.Request(URL, data=body, headers={"Content-Type": "application/json"})
    if _auth:
        req.add_header("Authorization", "Session " + _auth)
    with urllib.request.urlopen(req, timeout=60) as resp:
        answer = json.load(resp)
    if answer.get("error"):
        sys.exit(f"seed: {method} failed: {answer['error']}")
    return answer["result"]


def D(value):
    return {"__class__": "Decimal", "decimal": str(value)}


uid, session = rpc("common.db.login", "admin", {"password": PASSWORD}, "en", ctx=False)
_auth = base64.b64encode(f"admin:{uid}:{session}".encode()).decode()

currency = rpc("model.currency.currency.create", [{"name": "Euro", "code": "EUR", "symbol": "€",
                                                  "rounding": D("0.01"), "digits": 2}])[0]
party = rpc("model.party.party.create", [{"name": "Acme Manufacturing"}])[0]
company = rpc("model.company.company.create", [{"party": party, "currency": currency}])[0]
rpc("model.res.user.write", [uid], {"companies": [["add", [company]]], "company": company})
_ctx = {"company": company}
supplier = rpc("model.party.party.create", [{"name": "Acme Supplies", "addresses": [["create", [{"city": "Lyon"}]]]}])[0]

loc = {l["code"] or l["name"]: l["id"] for l in rpc("model.stock.location.search_read", [], 0, None, None, ["code", "name"])}
# The warehouse is plant-01 of samples/acme; lost and found gets a code so connector calls can name it.
rpc("model.stock.location.write", [loc["WH"]], {"code": "plant-01", "name": "Acme Lyon"},
    [loc["Lost and Found"]], {"code": "LF"})
# Scrap from confirmations is an output of the production into the warehouse's waste location, so Tryton keeps it.
loc["SCRAP"] = rpc("model.stock.location.create", [{"name": "Scrap", "code": "SCRAP", "type": "lost_found"}])[0]
rpc("model.stock.location.write", [loc["WH"]], {"waste_locations": [["add", [loc["SCRAP"]]]]})
uom = {u["symbol"]: u["id"] for u in rpc("model.product.uom.search_read", [["symbol", "in", ["u", "kg"]]], 0, None, None, ["symbol"])}

# samples/acme/materials.yaml: finished goods need a lot in storage (the confirmation names it).
materials = [
    ("FG-2001", "Gearbox housing, machined", "u", True, 120),
    ("FG-2002", "Gearbox assembly", "u", True, 260),
    ("FG-1001", "Sparkling water 0.5 L", "u", True, 1),
    ("RM-4001", "Aluminium bar 6082", "kg", False, 4),
    ("CP-5001", "Hex bolt M8x30", "u", False, 0.1),
    ("RM-3001", "Yogurt culture", "kg", False, 12),
]
product = {}
for code, name, unit, finished, price in materials:
    values = {"name": name, "type": "goods", "default_uom": uom[unit], "list_price": D(price),
              "products": [["create", [{"suffix_code": code, "cost_price": D(price)}]]]}
    if finished:
        values.update(producible=True, lot_required=["storage"])
    else:
        values.update(purchasable=True, purchase_uom=uom[unit])
    rpc("model.product.template.create", [values])
    product[code] = rpc("model.product.product.search", [["code", "=", code]], 0, 1, None)[0]

# BOMs (per 1 unit of output): a housing is machined from 1.8 kg of bar; an assembly takes 8 bolts and 0.5 kg of bar.
boms = {
    "FG-2001": [("RM-4001", 1.8, "kg")],
    "FG-2002": [("CP-5001", 8, "u"), ("RM-4001", 0.5, "kg")],
}
bom_of = {}
for fg, inputs in boms.items():
    bom = rpc("model.production.bom.create", [{
        "name": f"{fg} BOM",
        "inputs": [["create", [{"product": product[m], "quantity": q, "uom": uom[u]} for m, q, u in inputs]]],
        "outputs": [["create", [{"product": product[fg], "quantity": 1, "uom": uom["u"]}]]]}])[0]
    rpc("model.product.product.write", [product[fg]], {"boms": [["create", [{"bom": bom}]]]})
    bom_of[fg] = bom

# Opening stock (an inventory sets absolute quantities and, unlike a bare move, raises no "no origin" warning).
inventory = rpc("model.stock.inventory.create", [{"location": loc["STO"], "company": company, "lines": [["create", [
    {"product": product["RM-4001"], "quantity": 100000},
    {"product": product["CP-5001"], "quantity": 1000000},
    {"product": product["RM-3001"], "quantity": 500}]]]}])[0]
rpc("model.stock.inventory.confirm", [inventory])

# Planned production orders (what the ERP's planning would have released): reference = the order id.
for order, fg, quantity in [("PO-1001", "FG-2001", 100), ("PO-1002", "FG-2002", 50), ("PO-1003", "FG-2001", 200)]:
    inputs = [{"product": product[m], "uom": uom[u], "quantity": round(q * quantity, 4), "from_location": loc["STO"],
               "to_location": loc["PROD"], "company": company, "currency": currency} for m, q, u in boms[fg]]
    rpc("model.production.create", [{
        "reference": order, "company": company, "warehouse": loc["WH"], "location": loc["PROD"],
        "product": product[fg], "bom": bom_of[fg], "uom": uom["u"], "quantity": quantity,
        "inputs": [["create", inputs]],
        "outputs": [["create", [{"product": product[fg], "uom": uom["u"], "quantity": quantity,
                                 "from_location": loc["PROD"], "to_location": loc["STO"], "company": company,
                                 "currency": currency, "unit_price": D(0)}]]]}])

print(json.dumps({"company": company, "currency": currency, "supplier": supplier, "locations": loc,
                  "products": product, "boms": bom_of}))
