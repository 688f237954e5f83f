namespace Reyn.Index.Internal;

/// <summary>
/// The best <c>limit</c> (score, row) pairs seen so far: higher score first, equal scores by lower row (= lower primary
/// key). A bounded heap whose root is the worst pair kept.
/// </summary>
internal sealed class TopScores
{
    private static readonly Comparer<(double Score, int Row)> WorstFirst = Comparer<(double Score, int Row)>.Create(
        static (a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Row.CompareTo(a.Row));

    private readonly int _limit;
    private readonly PriorityQueue<int, (double Score, int Row)> _heap;

    public TopScores(int limit)
    {
        _limit = limit;
        _heap = new PriorityQueue<int, (double Score, int Row)>(Math.Min(limit, 4096) + 1, WorstFirst);
    }

    public int Count => _heap.Count;

    public void Offer(double score, int row)
    {
        if (_heap.Count < _limit)
        {
            _heap.Enqueue(row, (score, row));
            return;
        }

        _heap.TryPeek(out _, out var worst);
        if (WorstFirst.Compare((score, row), worst) > 0)
        {
            _heap.DequeueEnqueue(row, (score, row));
        }
    }

    /// <summary>The kept pairs best first, rows turned into their primary keys.</summary>
    public List<KeyValuePair<long, double>> ToBestFirst(long[] keys)
    {
        var result = new List<KeyValuePair<long, double>>(_heap.Count);
        while (_heap.TryDequeue(out var row, out var priority))
        {
            result.Add(new(keys[row], priority.Score));
        }

        result.Reverse();
        return result;
    }
}
