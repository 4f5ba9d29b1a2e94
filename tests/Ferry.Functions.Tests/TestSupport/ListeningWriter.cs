using System.Text;
using System.Text.RegularExpressions;

namespace Ferry.Functions.Tests.TestSupport;

/// <summary>An output writer for an in-process verb that listens on port 0: it records the text and completes when the verb prints "listening on &lt;url&gt;".</summary>
internal sealed partial class ListeningWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Everything written so far.</summary>
    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>The address the verb printed; fails if <paramref name="run"/> ends first.</summary>
    public async Task<Uri> ListeningAsync(Task<int> run)
    {
        if (await Task.WhenAny(_listening.Task, run) == _listening.Task)
        {
            return await _listening.Task;
        }

        throw new InvalidOperationException($"the verb ended with {await run} before listening:\n{Text}");
    }

    public override void Write(char value)
    {
        string text;
        lock (_text)
        {
            _text.Append(value);
            text = _text.ToString();
        }

        if (value == '\n' && ListeningOn().Match(text) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    [GeneratedRegex(@"listening on (http://[^\s;]+)")]
    private static partial Regex ListeningOn();
}
