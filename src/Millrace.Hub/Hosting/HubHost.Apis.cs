using Microsoft.Extensions.DependencyInjection;
using Millrace.Hub.Api;
using Millrace.Hub.Api.Audit;
using Millrace.Hub.Api.Capabilities;
using Millrace.Hub.Api.Idempotency;
using Millrace.Hub.Api.Identity;
using Millrace.Hub.Api.Projections;
using Millrace.Hub.Api.RateLimiting;
using Millrace.Hub.Api.Versions;
using Millrace.Hub.Governance;
using Millrace.Hub.Governance.Admission;
using Millrace.Hub.Log;
using Millrace.Hub.Processing.Telemetry;

namespace Millrace.Hub.Hosting;

/// <summary>The capability APIs (<see cref="HubOptions.Apis"/>): wired here so <c>HubHost.cs</c> only calls in.</summary>
public sealed partial class HubHost
{
    private ApiGateway? _apiGateway;
    private ApiKeyStore? _apiKeys;

    /// <summary>The read models behind the capability APIs' reads, or null when the hub serves no capability APIs.</summary>
    public BusinessProjections? Projections { get; private set; }

    /// <summary>The governed API path (identity, limits, idempotency, audit), or null without capability APIs.</summary>
    public ApiGateway? Apis => _apiGateway;

    /// <summary>Partner API keys, or null without capability APIs.</summary>
    public ApiKeyStore? ApiKeys => _apiKeys;

    private async Task MapCapabilityApisAsync(TelemetryCatalog catalog, CancellationToken cancellationToken)
    {
        if (Options.Apis is not { } settings) return;
        var time = TimeProvider.System;
        _apiKeys = ApiKeyStore.Open(Options.DataDirectory, time);
        var tokens = new BearerTokenValidator(settings, BearerTokenValidator.LoadKeys(settings, Options.DataDirectory), time);
        _apiGateway = new ApiGateway(settings, new ApiCatalogue(settings), new ApiAuthenticator(settings, tokens, _apiKeys), new ApiRateLimiter(time),
            IdempotencyStore.Open(Options.DataDirectory, settings.IdempotencyRetention, time), ApiAuditStore.Open(Options.DataDirectory),
            _app.Services.GetRequiredService<AdmissionGate>(), Registry, Telemetry, time);
        Projections = new BusinessProjections(_app.Services.GetRequiredService<BusinessEventLog>());
        await Projections.ReplayAsync(cancellationToken).ConfigureAwait(false);
        ProductionOrdersApi.Map(_app, _apiGateway, Projections);
        InventoryApi.Map(_app, _apiGateway, Projections);
        AsnApi.Map(_app, _apiGateway);
        MaintenanceAndQualityApi.Map(_app, _apiGateway);
        AssetsApi.Map(_app, _apiGateway, Projections, catalog);
        RequestsApi.Map(_app, _apiGateway);
        Millrace.Hub.Api.OpenApi.OpenApiDocuments.Map(_app, _apiGateway, Registry);
    }

    private void DisposeCapabilityApis()
    {
        Projections?.Dispose();
        _apiGateway?.Dispose();
        _apiKeys?.Dispose();
    }
}
