namespace Millrace.Log.Sqlite;

/// <summary>A small bounded free list; a lock is cheaper here than anything clever because it is held for a few instructions.</summary>
internal sealed class RequestPool<T>(int capacity, Func<RequestPool<T>, T> create) where T : class
{
    private readonly T?[] _items = new T?[capacity];
    private readonly Lock _gate = new();
    private int _count;

    public T Rent()
    {
        lock (_gate)
        {
            if (_count > 0)
            {
                T item = _items[--_count]!;
                _items[_count] = null;
                return item;
            }
        }

        return create(this);
    }

    public void Return(T item)
    {
        lock (_gate)
        {
            if (_count < _items.Length) _items[_count++] = item;
        }
    }
}
