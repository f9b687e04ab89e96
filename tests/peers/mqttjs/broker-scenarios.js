// MQTT.js (npm "mqtt") scenarios against a Millrace broker, run by tests/Millrace.Mqtt.Tests/Broker/MqttJsInteropTests.
// Usage: node broker-scenarios.js <scenario> --port N --protocol 4|5 [--qos Q] [--topic T]
// Prints "OK <detail>" and exits 0 on success; prints the failure and exits 1 otherwise. Bounded by a 15 s watchdog.
'use strict';
const mqtt = require('mqtt');

const args = process.argv.slice(2);
const scenario = args[0];
const opt = (name, fallback) => {
  const i = args.indexOf('--' + name);
  return i >= 0 ? args[i + 1] : fallback;
};
const port = Number(opt('port'));
const protocolVersion = Number(opt('protocol', '4'));
const qos = Number(opt('qos', '1'));
const url = `mqtt://127.0.0.1:${port}`;

const watchdog = setTimeout(() => fail(new Error(`scenario '${scenario}' timed out`)), 15000);
function ok(detail) { clearTimeout(watchdog); console.log(`OK ${detail}`); process.exit(0); }
function fail(err) { clearTimeout(watchdog); console.error(`FAIL ${err && err.stack || err}`); process.exit(1); }

function connect(clientId, extra = {}) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { clientId, protocolVersion, reconnectPeriod: 0, connectTimeout: 5000, ...extra });
    client.once('connect', (connack) => resolve({ client, connack }));
    client.once('error', reject);
  });
}
const subscribe = (client, filter, options) => new Promise((resolve, reject) =>
  client.subscribe(filter, options, (err, granted) => err ? reject(err) : resolve(granted)));
const publish = (client, topic, payload, options) => new Promise((resolve, reject) =>
  client.publish(topic, payload, options, (err) => err ? reject(err) : resolve()));
const end = (client) => new Promise((resolve) => client.end(false, {}, resolve));
const nextMessage = (client) => new Promise((resolve) => client.once('message', (topic, payload, packet) => resolve({ topic, payload: payload.toString(), packet })));

const scenarios = {
  // Publish at QoS q and receive at QoS q.
  async pubsub() {
    const { client: sub } = await connect(`js-sub-${protocolVersion}-${qos}`);
    const granted = await subscribe(sub, 'acme/+/temp', { qos });
    if (granted[0].qos !== qos) throw new Error(`granted ${JSON.stringify(granted)}`);
    const { client: pub } = await connect(`js-pub-${protocolVersion}-${qos}`);
    const received = nextMessage(sub);
    await publish(pub, 'acme/plant-03/temp', '21.5', { qos });
    const m = await received;
    if (m.topic !== 'acme/plant-03/temp' || m.payload !== '21.5' || m.packet.qos !== qos) throw new Error(`got ${JSON.stringify(m.packet)}`);
    await end(pub); await end(sub);
    ok(`${m.topic} ${m.payload} qos=${m.packet.qos}`);
  },
  // A retained message reaches a later subscriber with retain=true; an empty payload clears it.
  async retained() {
    const { client: pub } = await connect(`js-ret-pub-${protocolVersion}`);
    await publish(pub, 'line/state', 'running', { qos: 1, retain: true });
    const { client: sub } = await connect(`js-ret-sub-${protocolVersion}`);
    const received = nextMessage(sub);
    await subscribe(sub, 'line/#', { qos: 1 });
    const m = await received;
    if (!m.packet.retain || m.payload !== 'running') throw new Error(`got ${JSON.stringify(m.packet)}`);
    await publish(pub, 'line/state', '', { qos: 1, retain: true });
    await end(pub); await end(sub);
    ok(`retained ${m.payload}`);
  },
  // Connects with a will and then hangs (the test kills the process: abnormal end).
  async will() {
    await connect(`js-will-${protocolVersion}`, {
      keepalive: 60,
      will: { topic: 'status/js', payload: Buffer.from('lost'), qos: 1, retain: false,
        properties: protocolVersion === 5 ? { willDelayInterval: 0 } : undefined },
    });
    console.log('CONNECTED');
    setInterval(() => {}, 1000);
  },
  // Two members of a 5.0 shared subscription split 10 messages, none twice.
  async shared() {
    const { client: a } = await connect('js-share-a');
    const { client: b } = await connect('js-share-b');
    await subscribe(a, '$share/workers/jobs/+', { qos: 1 });
    await subscribe(b, '$share/workers/jobs/+', { qos: 1 });
    const got = { a: [], b: [] };
    const done = new Promise((resolve) => {
      const on = (who) => (topic, payload) => { got[who].push(payload.toString()); if (got.a.length + got.b.length === 10) resolve(); };
      a.on('message', on('a')); b.on('message', on('b'));
    });
    const { client: pub } = await connect('js-share-pub');
    for (let i = 0; i < 10; i++) await publish(pub, `jobs/${i}`, String(i), { qos: 1 });
    await done;
    const all = [...got.a, ...got.b].sort();
    if (got.a.length === 0 || got.b.length === 0 || new Set(all).size !== 10) throw new Error(JSON.stringify(got));
    await end(pub); await end(a); await end(b);
    ok(`a=${got.a.length} b=${got.b.length}`);
  },
  // Phase 1 of session resume: persistent session with a QoS 1 subscription, then a clean disconnect.
  async 'session-prepare'() {
    const extra = protocolVersion === 5 ? { clean: false, properties: { sessionExpiryInterval: 3600 } } : { clean: false };
    const { client } = await connect(`js-session-${protocolVersion}`, extra);
    await subscribe(client, 'orders/#', { qos: 1 });
    await end(client);
    ok('subscribed');
  },
  // Phase 2 (after a broker restart): the session is present and the message queued while offline arrives.
  async 'session-resume'() {
    const extra = protocolVersion === 5 ? { clean: false, properties: { sessionExpiryInterval: 3600 } } : { clean: false };
    const client = mqtt.connect(url, { clientId: `js-session-${protocolVersion}`, protocolVersion, reconnectPeriod: 0, ...extra });
    const received = nextMessage(client);
    const connack = await new Promise((resolve, reject) => { client.once('connect', resolve); client.once('error', reject); });
    if (!connack.sessionPresent) throw new Error('sessionPresent is false');
    const m = await received;
    await end(client);
    ok(`${m.topic} ${m.payload}`);
  },
};

if (!scenarios[scenario] || !port) fail(new Error(`usage: node broker-scenarios.js <${Object.keys(scenarios).join('|')}> --port N --protocol 4|5 [--qos Q]`));
else scenarios[scenario]().catch(fail);
