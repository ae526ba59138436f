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
