namespace Reyn.PostgreSql.Tests.Support;

/// <summary>A fact that needs the PostgreSQL test server: skipped, with the reason, when it is not configured or unreachable.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the server is unavailable.</summary>
    public PostgresFactAttribute()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
