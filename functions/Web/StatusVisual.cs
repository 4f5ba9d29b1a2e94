namespace Ferry.Functions.Web;

/// <summary>How one status value is shown: its label, CSS tone (Argo CD's palette) and icon.</summary>
internal sealed record StatusVisual(string Label, string Tone, string IconSvg);
