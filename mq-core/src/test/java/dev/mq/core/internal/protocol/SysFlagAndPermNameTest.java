package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SysFlagAndPermNameTest {

    @Test
    void sysFlagBitsMatchTheWire() {
        assertThat(SysFlag.COMPRESSED).isEqualTo(0x1);
        assertThat(SysFlag.TRANSACTION_PREPARED).isEqualTo(0x4);
        assertThat(SysFlag.COMPRESSION_ZLIB).isEqualTo(0x300);
        assertThat(SysFlag.compressedZlib()).isEqualTo(0x301);
        assertThat(SysFlag.isCompressed(0x301)).isTrue();
        assertThat(SysFlag.isCompressed(SysFlag.TRANSACTION_PREPARED)).isFalse();
        assertThat(SysFlag.compressedZlib() & SysFlag.COMPRESSION_TYPE_MASK).isEqualTo(SysFlag.COMPRESSION_ZLIB);
    }

    @Test
    void eachCompressionTypeSetsTheCompressedBitAndItsTypeInBitsEightToTen() {
        // Type values as RocketMQ 5 reads them: (sysFlag & 0x700) >> 8 is 1 for LZ4, 2 for ZSTD, 3 for ZLIB.
        assertThat(Compression.Codec.LZ4.sysFlag()).isEqualTo(0x101);
        assertThat(Compression.Codec.ZSTD.sysFlag()).isEqualTo(0x201);
        assertThat(Compression.Codec.ZLIB.sysFlag()).isEqualTo(0x301);
        for (Compression.Codec codec : Compression.Codec.values()) {
            int flag = codec.sysFlag() | SysFlag.TRANSACTION_PREPARED;
            assertThat(SysFlag.isCompressed(flag)).isTrue();
            // The type bits stay clear of the transaction and host bits.
            assertThat(flag & SysFlag.TRANSACTION_TYPE_MASK).isEqualTo(SysFlag.TRANSACTION_PREPARED);
            assertThat(flag & (SysFlag.BORNHOST_V6 | SysFlag.STOREHOST_V6 | SysFlag.MULTI_TAGS)).isZero();
            assertThat(Compression.Codec.ofType(flag & SysFlag.COMPRESSION_TYPE_MASK)).isEqualTo(codec);
        }
    }

    @Test
    void permissionBits() {
        assertThat(PermName.READ).isEqualTo(0x4);
        assertThat(PermName.WRITE).isEqualTo(0x2);
        assertThat(PermName.INHERIT).isEqualTo(0x1);
        assertThat(PermName.isWriteable(6)).isTrue();
        assertThat(PermName.isWriteable(7)).isTrue();
        assertThat(PermName.isWriteable(4)).isFalse();
        assertThat(PermName.isWriteable(0)).isFalse();
        assertThat(PermName.isReadable(4)).isTrue();
        assertThat(PermName.isReadable(2)).isFalse();
    }
}
