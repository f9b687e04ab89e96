using Millrace.Core.Model;

namespace Millrace.Core.Tests.Model;

public sealed class ModelIdTests
{
    [Theory]
    [InlineData("plant-03", true)]
    [InlineData("cnc_07", true)]
    [InlineData("7a", true)]
    [InlineData("", false)]
    [InlineData("-a", false)]
    [InlineData("Plant-03", false)]
    [InlineData("line 2", false)]
    [InlineData("a/b", false)]
    [InlineData("é", false)]
    public void Local_ids_are_lowercase_letters_digits_dash_and_underscore(string id, bool valid)
    {
        Assert.Equal(valid, ModelId.IsValidLocal(id));
    }

    [Fact]
    public void Local_ids_are_at_most_64_characters()
    {
        Assert.True(ModelId.IsValidLocal(new string('a', 64)));
        Assert.False(ModelId.IsValidLocal(new string('a', 65)));
    }

    [Fact]
    public void Full_ids_are_local_ids_joined_by_slashes()
    {
        Assert.True(ModelId.IsValidPath("plant-03/line-2/cnc-07"));
        Assert.False(ModelId.IsValidPath("plant-03//cnc-07"));
        Assert.False(ModelId.IsValidPath("plant-03/Line-2"));
        Assert.Equal("plant-03/line-2", ModelId.Combine("plant-03", "line-2"));
        Assert.Equal("cnc-07", ModelId.LocalPart("plant-03/line-2/cnc-07"));
        Assert.Equal("plant-03/line-2/cnc-07:spindle-vibration", ModelId.SignalKey("plant-03/line-2/cnc-07", "spindle-vibration"));
    }

    [Theory]
    [InlineData("Line 2", "invalid id 'Line 2': ids use lowercase letters, digits, '-' and '_', starting with a letter or digit (e.g. 'line-2')")]
    [InlineData("plant-03/line-2", "invalid id 'plant-03/line-2': write the local id only (no '/'); the full id is computed from the hierarchy")]
    public void Invalid_ids_are_explained(string id, string message)
    {
        Assert.Equal(message, ModelId.ExplainInvalidLocal(id));
    }
}
