namespace Reyn.Runtime;

/// <summary>
/// The op kinds a runtime knows, built from every <see cref="IOp"/> in the container. A later registration of the
/// same kind replaces an earlier one, so a host can replace a built-in op.
/// </summary>
public sealed class OpRegistry
{
    private readonly Dictionary<string, IOp> _ops = new(StringComparer.Ordinal);

    /// <summary>Creates a registry over <paramref name="ops"/>.</summary>
    public OpRegistry(IEnumerable<IOp> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        foreach (var op in ops)
        {
            if (string.IsNullOrWhiteSpace(op.Kind))
            {
                throw new ArgumentException($"Op {op.GetType().FullName} has an empty Kind; give it a lower-case name such as \"my_op\".", nameof(ops));
            }

            _ops[op.Kind] = op;
        }
    }

    /// <summary>The registered kinds, sorted.</summary>
    public IReadOnlyList<string> Kinds
    {
        get
        {
            var kinds = new List<string>(_ops.Keys);
            kinds.Sort(StringComparer.Ordinal);
            return kinds;
        }
    }

    /// <summary>Looks up an op.</summary>
    public bool TryGet(string kind, out IOp op) => _ops.TryGetValue(kind, out op!);

    /// <summary>The purity of <paramref name="kind"/>; unknown kinds are <see cref="OpPurity.SideEffect"/>.</summary>
    public OpPurity PurityOf(string kind) => _ops.TryGetValue(kind, out var op) ? op.Purity : OpPurity.SideEffect;

    /// <summary>The registered kind closest to <paramref name="kind"/> (similarity at least 0.6), or <see langword="null"/>.</summary>
    public string? Suggest(string kind)
    {
        string? best = null;
        var bestScore = 0.6;
        foreach (var candidate in _ops.Keys)
        {
            var score = Similarity(kind, candidate);
            if (score >= bestScore && (best is null || score > bestScore || string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best;
    }

    // Like Python's difflib ratio: 2 * (longest common subsequence) / (total length).
    private static double Similarity(string a, string b)
    {
        if (a.Length + b.Length == 0)
        {
            return 1;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1])
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return 2.0 * previous[b.Length] / (a.Length + b.Length);
    }
}
