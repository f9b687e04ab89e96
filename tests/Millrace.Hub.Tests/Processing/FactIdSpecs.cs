using Millrace.Hub.Processing.Emission;

namespace Millrace.Hub.Tests.Processing;

public class FactIdSpecs
{
    [Fact]
    public void Ids_are_RFC_9562_version_5_uuids_matching_the_published_test_vector()
    {
        // uuid5(NAMESPACE_DNS, "www.example.com") as every conforming implementation computes it.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), FactId.Create(dns, "www.example.com"));
    }

    [Fact]
    public void The_same_fact_key_always_gives_the_same_id_and_another_key_another()
    {
        string a = FactId.For("vibration-high/plant-01/line-1/filler-01/1763798400000");
        Assert.Equal(a, FactId.For("vibration-high/plant-01/line-1/filler-01/1763798400000"));
        Assert.NotEqual(a, FactId.For("vibration-high/plant-01/line-1/filler-01/1763798400001"));
        Assert.Equal('5', a[14]);
    }

    [Fact]
    public void Long_keys_beyond_the_stack_buffer_hash_the_same_way()
    {
        string key = new('k', 2000);
        Assert.Equal(FactId.For(key), FactId.For(new string('k', 2000)));
    }
}
