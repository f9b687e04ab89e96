using System.Text;

namespace Millrace.Log.Tests;

public class PartitionHashSpecs
{
    // Published MurmurHash3 x86_32 reference values: any backend in any language must reproduce them.
    [Theory]
    [InlineData("", 0u, 0x00000000u)]
    [InlineData("", 1u, 0x514E28B7u)]
    [InlineData("", 0xFFFFFFFFu, 0x81F16F39u)]
    [InlineData("test", 0u, 0xBA6BD213u)]
    [InlineData("Hello, world!", 0u, 0xC0363E43u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0u, 0x2E4FF723u)]
    public void Hash_is_murmur3_x86_32(string text, uint seed, uint expected) =>
        Assert.Equal(expected, PartitionHash.Murmur3(Encoding.UTF8.GetBytes(text), seed));

    [Fact]
    public void Key_hash_is_murmur3_of_the_utf8_bytes_with_seed_zero()
    {
        const string key = "Presse-7/Zähler-ü";
        Assert.Equal(PartitionHash.Murmur3(Encoding.UTF8.GetBytes(key), 0), PartitionHash.Hash(key));
        string longKey = new('k', 5000);
        Assert.Equal(PartitionHash.Murmur3(Encoding.UTF8.GetBytes(longKey), 0), PartitionHash.Hash(longKey));
    }

    [Fact]
    public void Partition_of_a_key_is_fixed_by_the_algorithm_not_the_process()
    {
        // Pinned values: if these change, existing logs would put keys in other partitions.
        Assert.Equal((int)((0xBA6BD213u & 0x7FFFFFFFu) % 16u), PartitionHash.PartitionOf("test", 16));
        Assert.Equal(0, PartitionHash.PartitionOf("", 16));
        Assert.Equal(0, PartitionHash.PartitionOf("anything", 1));
    }

    [Fact]
    public void Keys_spread_over_all_partitions()
    {
        var counts = new int[16];
        for (int i = 0; i < 16_000; i++) counts[PartitionHash.PartitionOf($"machine-{i}", 16)]++;
        Assert.All(counts, c => Assert.InRange(c, 700, 1300));
    }

    [Fact]
    public void Partition_count_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PartitionHash.PartitionOf("k", 0));
}
