using System.Text.Json;
using Millrace.Hub.Connectors;
using Millrace.Hub.Connectors.Tryton;

namespace Millrace.Hub.Tests.Connectors.Tryton;

/// <summary>Tryton down, sessions expiring, a wrong password: classified so workflows retry or dead-letter correctly.</summary>
public sealed class TrytonConnectorFailureTests(TrytonServer tryton) : IClassFixture<TrytonServer>
{
    private static ConnectorCall ReadStock() => new("read-stock", TrytonServer.Json("""{"material":"RM-4001","location":"STO"}"""), "k");

    [Fact]
    public async Task Tryton_stopped_is_retryable_and_the_same_confirmation_posts_once_after_it_returns()
    {
        var order = "PO-D" + Guid.NewGuid().ToString("N")[..8];
        await tryton.CreatePlannedOrderAsync(order, "FG-2001", 3);
        await using var erp = new TrytonConnector("erp", tryton.Options);
        Assert.Equal(ConnectorOutcome.Succeeded, (await erp.InvokeAsync(ReadStock())).Outcome); // logged in while up
        var confirm = new ConnectorCall("confirm-production", TrytonServer.Json($$"""{"order":"{{order}}","good":3,"lot":"L-{{order}}","final":true}"""), "wf-down:confirm");

        await tryton.StopAsync();
        ConnectorResult whileDown;
        try
        {
            whileDown = await erp.InvokeAsync(confirm);
        }
        finally
        {
            await tryton.StartAsync();
        }
        var afterwards = await erp.InvokeAsync(confirm);

        Assert.Equal(ConnectorOutcome.Retryable, whileDown.Outcome);
        Assert.Contains("cannot reach Tryton", whileDown.Reason);
        Assert.Equal(ConnectorOutcome.Succeeded, afterwards.Outcome);
        Assert.Equal(3, afterwards.Output!.Value.GetProperty("confirmedGood").GetDouble());
    }

    [Fact]
    public async Task An_expired_session_is_logged_in_again_transparently()
    {
        await using var erp = new TrytonConnector("erp", tryton.Options);
        Assert.Equal(ConnectorOutcome.Succeeded, (await erp.InvokeAsync(ReadStock())).Outcome);
        Assert.Equal(1, erp.Client.Logins);

        erp.Client.SetSessionKeyForTest("0000000000000000expired"); // what Tryton answers for an idle-expired key: HTTP 401
        var result = await erp.InvokeAsync(ReadStock());

        Assert.Equal(ConnectorOutcome.Succeeded, result.Outcome);
        Assert.Equal(2, erp.Client.Logins);
    }

    [Fact]
    public async Task A_wrong_password_is_permanent_and_the_password_is_not_in_the_recorded_request()
    {
        await using var erp = new TrytonConnector("erp", tryton.Options with { Password = "not-the-password" });

        var result = await erp.InvokeAsync(ReadStock());

        Assert.Equal(ConnectorOutcome.Permanent, result.Outcome);
        Assert.Contains("refused the login of user 'admin'", result.Reason);
        Assert.DoesNotContain("not-the-password", result.Request ?? "");
    }

    [Fact]
    public async Task An_operation_the_connector_does_not_have_is_an_argument_error()
    {
        await using var erp = new TrytonConnector("erp", tryton.Options);

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await erp.InvokeAsync(new ConnectorCall("update-schedule", TrytonServer.Json("{}"), "k")));
    }
}

/// <summary>Tryton's error forms (verbatim from trytond 6.0) mapped to retryable or permanent.</summary>
public sealed class TrytonErrorClassificationTests
{
    [Theory]
    [InlineData("""["UserError",["A value is required for field \"Product\" in \"Stock Lot\".","",null]]""", false, "A value is required")]
    [InlineData("""["UserError",["You are not allowed to access \"Production\".","",null]]""", false, "not allowed to access")]
    [InlineData("""["UserWarning",["668ff76f.done","Stock moves \"100.00kg\" have no origin.",""]]""", false, "have no origin")]
    [InlineData("""["ConcurrencyException","Records were modified in the meanwhile"]""", true, "modified in the meanwhile")]
    [InlineData("""["database is locked",""]""", true, "database is locked")]
    [InlineData("""["'nosuch.model'",""]""", false, "nosuch.model")]
    public void Error_forms_are_classified(string error, bool retryable, string reason)
    {
        var e = TrytonJsonRpcClient.Classify(JsonDocument.Parse(error).RootElement, "req", "resp");

        Assert.Equal(retryable, e.Retryable);
        Assert.Contains(reason, e.Message);
    }
}
