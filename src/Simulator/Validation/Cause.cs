namespace Ferry.Simulator.Validation;

/// <summary>One cause of an Invalid (422) answer: the field, the reason and the message.</summary>
internal sealed record Cause(string Reason, string Message, string Field);
