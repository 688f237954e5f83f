namespace Reyn.Runtime;

/// <summary>
/// Per-model prices (reyn.yaml <c>prices:</c>). A model id matches its exact entry, else the longest entry it starts
/// with (<c>gpt-4o-mini-2024-07-18</c> uses <c>gpt-4o-mini</c>); an unknown model costs 0 and is reported as
/// <c>pricing: unknown</c> on <c>llm_response_received</c>.
/// </summary>
public sealed class PriceTable
{
    private readonly Dictionary<string, ModelPrice> _prices = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The entries.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Entries => _prices;

    /// <summary>Sets the price of a model (or a model-id prefix).</summary>
    public PriceTable Set(string model, ModelPrice price)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(price);
        _prices[model] = price;
        return this;
    }

    /// <summary>Finds the price of <paramref name="model"/>.</summary>
    public bool TryGet(string? model, out ModelPrice price)
    {
        price = null!;
        if (string.IsNullOrEmpty(model))
        {
            return false;
        }

        if (_prices.TryGetValue(model, out price!))
        {
            return true;
        }

        var bestLength = 0;
        foreach (var (key, value) in _prices)
        {
            if (key.Length > bestLength && model.StartsWith(key, StringComparison.OrdinalIgnoreCase))
            {
                price = value;
                bestLength = key.Length;
            }
        }

        return bestLength > 0;
    }
}
