using Millrace.Mqtt.Codec;

namespace Millrace.Mqtt.Tests;

public class VariableByteIntegerTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void Encodes_the_spec_table_values_and_reads_them_back(int value, string hex)
    {
        var expected = Convert.FromHexString(hex);
        Span<byte> buffer = stackalloc byte[4];
        int n = VariableByteInteger.Write(buffer, value);
        Assert.Equal(expected, buffer[..n].ToArray());
        Assert.Equal(expected.Length, VariableByteInteger.GetByteCount(value));
        Assert.Equal(VariableByteInteger.Status.Done, VariableByteInteger.TryRead(expected, out int read, out int used));
        Assert.Equal(value, read);
        Assert.Equal(expected.Length, used);
    }

    [Fact]
    public void A_fifth_byte_is_rejected()
        => Assert.Equal(VariableByteInteger.Status.TooLong, VariableByteInteger.TryRead(Convert.FromHexString("FFFFFFFF7F"), out _, out _));

    [Theory]
    [InlineData("80")]
    [InlineData("FFFF")]
    [InlineData("FFFFFF")]
    public void An_unfinished_integer_is_incomplete(string hex)
        => Assert.Equal(VariableByteInteger.Status.Incomplete, VariableByteInteger.TryRead(Convert.FromHexString(hex), out _, out _));

    [Theory]
    [InlineData("8000")]
    [InlineData("FF8000")]
    [InlineData("80808000")]
    public void A_non_minimal_encoding_is_reported(string hex)
        => Assert.Equal(VariableByteInteger.Status.NotMinimal, VariableByteInteger.TryRead(Convert.FromHexString(hex), out _, out _));

    [Theory]
    [InlineData(-1)]
    [InlineData(268_435_456)]
    public void Values_out_of_range_cannot_be_encoded(int value)
        => Assert.Throws<ArgumentOutOfRangeException>(() => VariableByteInteger.GetByteCount(value));
}
