using Ferry.Core.Jobs;

namespace Ferry.Core.Tests.Jobs;

public sealed class JobMessageTests
{
    private static readonly JobMessage Sample = new()
    {
        Kind = JobKind.Sync,
        App = "guestbook",
        Revision = "0123456789abcdef0123456789abcdef01234567",
        Reason = JobReason.Webhook,
        DeliveryId = "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        EnqueuedAt = new DateTimeOffset(2024, 5, 1, 14, 30, 5, TimeSpan.FromHours(2)),
    };

    [Fact]
    public void ToJson_Sample_MatchesTheDesignContractExactly()
    {
        Assert.Equal(
            "{\"v\":1,\"kind\":\"sync\",\"app\":\"guestbook\",\"revision\":\"0123456789abcdef0123456789abcdef01234567\",\"reason\":\"webhook\"," +
            "\"deliveryId\":\"72d3162e-cc78-11e3-81ab-4c9367dc0958\",\"enqueuedAt\":\"2024-05-01T12:30:05Z\"}",
            Sample.ToJson());
    }

    [Fact]
    public void ToJson_NoRevisionAndFractionalTime_WritesNullAndTrimmedFraction()
    {
        var message = Sample with { Kind = JobKind.Refresh, Revision = null, Reason = JobReason.Drift, EnqueuedAt = new DateTimeOffset(2024, 5, 1, 12, 0, 0, 250, TimeSpan.Zero) };

        Assert.Equal(
            "{\"v\":1,\"kind\":\"refresh\",\"app\":\"guestbook\",\"revision\":null,\"reason\":\"drift\",\"deliveryId\":\"72d3162e-cc78-11e3-81ab-4c9367dc0958\",\"enqueuedAt\":\"2024-05-01T12:00:00.25Z\"}",
            message.ToJson());
    }

    [Theory]
    [InlineData(JobKind.Sync, JobReason.Webhook)]
    [InlineData(JobKind.Refresh, JobReason.Drift)]
    [InlineData(JobKind.Sync, JobReason.Manual)]
    [InlineData(JobKind.Rollback, JobReason.Manual)]
    public void Parse_ToJson_RoundTrips(JobKind kind, JobReason reason)
    {
        var message = Sample with { Kind = kind, Reason = reason };

        Assert.Equal(message, JobMessage.Parse(message.ToJson()));
    }

    [Fact]
    public void ToJson_Sweep_NamesTheClusterAndEveryApp()
    {
        var message = Sample with { Kind = JobKind.Sweep, App = JobMessage.AllApps, Cluster = "prod", Revision = null, Reason = JobReason.Drift, EnqueuedAt = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero) };

        Assert.Equal(
            "{\"v\":1,\"kind\":\"sweep\",\"app\":\"*\",\"cluster\":\"prod\",\"revision\":null,\"reason\":\"drift\",\"deliveryId\":\"72d3162e-cc78-11e3-81ab-4c9367dc0958\",\"enqueuedAt\":\"2024-05-01T12:00:00Z\"}",
            message.ToJson());
        Assert.Equal(message, JobMessage.Parse(message.ToJson()));
    }

    [Fact]
    public void Parse_SweepWithoutCluster_NamesTheField()
    {
        var error = Assert.Throws<JobMessageException>(() => JobMessage.Parse("{\"v\":1,\"kind\":\"sweep\",\"app\":\"*\",\"reason\":\"drift\",\"deliveryId\":\"d\",\"enqueuedAt\":\"2024-05-01T12:00:00Z\"}"));

        Assert.Equal("cluster", error.Field);
    }

    [Fact]
    public void Parse_MissingRevisionAndExtraFields_AcceptsThem()
    {
        var message = JobMessage.Parse("{\"v\":1,\"kind\":\"refresh\",\"app\":\"a\",\"reason\":\"manual\",\"deliveryId\":\"d\",\"enqueuedAt\":\"2024-05-01T12:00:00+02:00\",\"future\":true}");

        Assert.Null(message.Revision);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), message.EnqueuedAt);
    }

    [Theory]
    [InlineData("not-json", "{", null)]
    [InlineData("array", "[]", null)]
    [InlineData("no-version", "{\"kind\":\"sync\"}", "v")]
    [InlineData("future-version", "{\"v\":2,\"kind\":\"sync\"}", "v")]
    [InlineData("bad-kind", "{\"v\":1,\"kind\":\"apply\",\"app\":\"a\",\"reason\":\"manual\",\"deliveryId\":\"d\",\"enqueuedAt\":\"2024-05-01T12:00:00Z\"}", "kind")]
    [InlineData("no-app", "{\"v\":1,\"kind\":\"sync\",\"reason\":\"manual\",\"deliveryId\":\"d\",\"enqueuedAt\":\"2024-05-01T12:00:00Z\"}", "app")]
    [InlineData("empty-app", "{\"v\":1,\"kind\":\"sync\",\"app\":\"\",\"reason\":\"manual\",\"deliveryId\":\"d\",\"enqueuedAt\":\"2024-05-01T12:00:00Z\"}", "app")]
    [InlineData("numeric-revision", "{\"v\":1,\"kind\":\"sync\",\"app\":\"a\",\"revision\":5,\"reason\":\"manual\",\"deliveryId\":\"d\",\"enqueuedAt\":\"2024-05-01T12:00:00Z\"}", "revision")]
    [InlineData("rollback-without-revision", "{\"v\":1,\"kind\":\"rollback\",\"app\":\"a\",\"revision\":null,\"reason\":\"manual\",\"deliveryId\":\"d\",\"enqueuedAt\":\"2024-05-01T12:00:00Z\"}", "revision")]
    [InlineData("bad-reason", "{\"v\":1,\"kind\":\"sync\",\"app\":\"a\",\"reason\":\"cron\",\"deliveryId\":\"d\",\"enqueuedAt\":\"2024-05-01T12:00:00Z\"}", "reason")]
    [InlineData("no-delivery", "{\"v\":1,\"kind\":\"sync\",\"app\":\"a\",\"reason\":\"manual\",\"enqueuedAt\":\"2024-05-01T12:00:00Z\"}", "deliveryId")]
    [InlineData("bad-time", "{\"v\":1,\"kind\":\"sync\",\"app\":\"a\",\"reason\":\"manual\",\"deliveryId\":\"d\",\"enqueuedAt\":\"yesterday\"}", "enqueuedAt")]
    public void Parse_Invalid_ThrowsNamingTheField(string name, string json, string? field)
    {
        var error = Assert.Throws<JobMessageException>(() => JobMessage.Parse(json));

        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(field, error.Field);
        Assert.StartsWith("bad job message", error.Message, StringComparison.Ordinal);
    }
}
