using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Functions.Hosting;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Hosting;

public sealed class InvocationPayloadTests
{
    [Fact]
    public void QueueInvocation_DocumentedShape_ReadsMessageTextAndMetadata()
    {
        var request = InvocationRequest.Parse(Fixture("queue-invocation.json"));

        var invocation = QueueInvocation.FromRequest(request, FunctionNames.JobBinding);

        using var message = JsonDocument.Parse(invocation.MessageText);
        Assert.Equal("guestbook", message.RootElement.GetProperty("app").GetString());
        Assert.Equal("sync", message.RootElement.GetProperty("kind").GetString());
        Assert.Equal("800ae4b3-bdd2-4c08-badd-f08e5a34b865", invocation.Id);
        Assert.Equal(2, invocation.DequeueCount);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 12, 0, 0, TimeSpan.Zero), invocation.InsertionTime);
        Assert.Equal(new DateTimeOffset(2025, 5, 8, 12, 0, 0, TimeSpan.Zero), invocation.ExpirationTime);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 12, 0, 31, TimeSpan.Zero), invocation.NextVisibleTime);
        Assert.Equal("SyncWorker", invocation.Sys?.MethodName);
        Assert.Equal("24ad4c06-24ad-4e5b-8294-3da9714877e9", invocation.Sys?.RandGuid);
    }

    [Fact]
    public void QueueInvocation_MessageAlreadyParsed_KeepsItsJsonText()
    {
        var request = InvocationRequest.Parse(Fixture("queue-invocation-object.json"));

        var invocation = QueueInvocation.FromRequest(request, FunctionNames.JobBinding);

        using var message = JsonDocument.Parse(invocation.MessageText);
        Assert.Equal("payments", message.RootElement.GetProperty("app").GetString());
        Assert.Equal(JsonValueKind.Null, message.RootElement.GetProperty("revision").ValueKind);
        Assert.Equal(1, invocation.DequeueCount);
    }

    [Fact]
    public void QueueInvocation_Base64Text_DecodesToTheJobJson()
    {
        var request = InvocationRequest.Parse(Fixture("queue-invocation-base64.json"));

        var invocation = QueueInvocation.FromRequest(request, FunctionNames.JobBinding);

        using var message = JsonDocument.Parse(invocation.MessageText);
        Assert.Equal("manual", message.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void QueueInvocation_PlainTextThatIsValidBase64_IsLeftAlone()
    {
        var request = InvocationRequest.Parse("""{"Data":{"job":"abcd"},"Metadata":{}}"""u8);

        Assert.Equal("abcd", QueueInvocation.FromRequest(request, "job").MessageText);
    }

    [Fact]
    public void QueueInvocation_MissingBinding_ThrowsFormatException()
    {
        var request = InvocationRequest.Parse("""{"Data":{"other":"x"},"Metadata":{}}"""u8);

        var error = Assert.Throws<InvocationFormatException>(() => QueueInvocation.FromRequest(request, "job"));
        Assert.Contains("Data.job", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    public void Parse_NotTheEnvelope_ThrowsFormatException(string body)
    {
        Assert.Throws<InvocationFormatException>(() => InvocationRequest.Parse(System.Text.Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void TimerInvocation_DocumentedShape_ReadsScheduleStatus()
    {
        var request = InvocationRequest.Parse(Fixture("timer-invocation.json"));

        var invocation = TimerInvocation.FromRequest(request, FunctionNames.TimerBinding);

        Assert.True(invocation.IsPastDue);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 11, 57, 0, TimeSpan.Zero), invocation.Last);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 12, 3, 0, TimeSpan.Zero), invocation.Next);
        Assert.NotNull(invocation.LastUpdated);
        Assert.Equal("DriftCheck", invocation.Sys?.MethodName);
    }

    [Fact]
    public void TimerInvocation_SerializedAsString_ReadsTheJsonInside()
    {
        var request = InvocationRequest.Parse(Fixture("timer-invocation-string.json"));

        var invocation = TimerInvocation.FromRequest(request, FunctionNames.TimerBinding);

        Assert.False(invocation.IsPastDue);
        Assert.Null(invocation.Last);
        Assert.Null(invocation.Next);
    }

    [Fact]
    public void InvocationResponse_Serialized_HasTheHostsMemberNames()
    {
        var response = new InvocationResponse { Logs = ["synced guestbook at 4f2c1a9"] };

        var actual = JsonNode.Parse(JsonSerializer.Serialize(response, CustomHandlerJson.Options));
        var expected = JsonNode.Parse(File.ReadAllText(RepoPaths.TestData("Hosting", "testdata", "invocation-response.json")));

        Assert.True(JsonNode.DeepEquals(expected, actual), actual?.ToJsonString());
    }

    private static byte[] Fixture(string name) => File.ReadAllBytes(RepoPaths.TestData("Hosting", "testdata", name));
}
