using Chatroom.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Chatroom.ServiceDefaults.Tests;

/// <summary>One name per replica (issue 25): the dashboard's, the telemetry's service.instance.id and the socket node's.</summary>
public sealed class ServiceInstanceTests
{
    [Theory]
    [InlineData("service.instance.id=abcd1234", "abcd1234")]
    [InlineData("deployment.environment=dev, service.instance.id = socketserver-x1y2 ,k=v", "socketserver-x1y2")]
    [InlineData("service.instance.id=with%20space", "with space")]
    [InlineData("service.name=api", null)]
    [InlineData("service.instance.id=", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void TheInstanceIdIsReadFromTheResourceAttributes(string? attributes, string? expected) =>
        Assert.Equal(expected, ServiceInstance.FromResourceAttributes(attributes));

    [Fact]
    public void UnderAspireTheNodeIsTheReplicaNameTheDashboardShows()
    {
        var aspire = Configuration(("OTEL_SERVICE_NAME", "socketserver"), ("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=abcd1234"));
        Assert.Equal("socketserver-abcd1234", ServiceInstance.Name(aspire));
        Assert.Equal("abcd1234", ServiceInstance.TelemetryInstanceId(aspire));

        var full = Configuration(("OTEL_SERVICE_NAME", "socketserver"), ("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=socketserver-abcd1234"));
        Assert.Equal("socketserver-abcd1234", ServiceInstance.Name(full));
    }

    [Fact]
    public void AConfiguredNodeIdWinsAndIsTheTelemetryInstanceToo()
    {
        var configured = Configuration((ServiceInstance.NodeIdKey, "node-a"), ("OTEL_SERVICE_NAME", "socketserver"));
        Assert.Equal("node-a", ServiceInstance.Name(configured));
        Assert.Equal("node-a", ServiceInstance.TelemetryInstanceId(configured));
    }

    [Fact]
    public void WithoutANameEachHostMakesOneAndKeepsIt()
    {
        var none = Configuration();
        var name = ServiceInstance.Name(none);
        Assert.StartsWith(Environment.MachineName + "-", name, StringComparison.Ordinal);
        Assert.Equal(name, ServiceInstance.Name(none));
        Assert.Equal(name, ServiceInstance.TelemetryInstanceId(none));

        // Another host in the same process (tests run several socket nodes in one) is another node.
        Assert.NotEqual(name, ServiceInstance.Name(Configuration()));
    }

    [Fact]
    public async Task TracesCarryTheInstanceIdAspireGives()
    {
        await using var host = await ServiceDefaultsHost.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{Chatroom.Testing.Hosting.FreePort.Next()}",
            ["OTEL_SERVICE_NAME"] = "socketserver",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=abcd1234",
        });

        var resource = host.Services.GetRequiredService<TracerProvider>().GetResource();
        var attributes = resource.Attributes.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("abcd1234", attributes["service.instance.id"]);
        Assert.Equal("socketserver", attributes["service.name"]);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
