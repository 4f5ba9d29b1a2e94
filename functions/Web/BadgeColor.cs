namespace Ferry.Functions.Web;

/// <summary>Badge fill colours, shields.io's flat palette mapped to Argo CD's states.</summary>
internal static class BadgeColor
{
    public const string Green = "#4c1";
    public const string Amber = "#dfb317";
    public const string Blue = "#007ec6";
    public const string Red = "#e05d44";
    public const string Purple = "#7d57c2";
    public const string Grey = "#9f9f9f";
}
