package dev.mq.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostAddressTest {

    @Test
    void prefersTheFirstPublicAddress() throws UnknownHostException {
        assertThat(choose("127.0.0.1", "10.0.0.5", "8.8.8.8", "1.1.1.1")).isEqualTo(ip("8.8.8.8"));
        assertThat(choose("fe80::1", "10.0.0.5", "2001:db8::7", "8.8.8.8")).isEqualTo(ip("2001:db8::7"));
    }

    @Test
    void skipsInternalIpv6() throws UnknownHostException {
        assertThat(choose("::1", "fe80::1", "fd12::1", "fec0::1", "172.16.0.9")).isEqualTo(ip("172.16.0.9"));
    }

    @Test
    void fallsBackToPrivateThenLoopbackThenTime() throws UnknownHostException {
        assertThat(choose("127.0.0.1", "192.168.1.10", "10.0.0.1")).isEqualTo(ip("192.168.1.10"));
        assertThat(choose("::1", "127.0.0.1")).isEqualTo(ip("127.0.0.1"));
        assertThat(HostAddress.choose(List.of(), 0x1122_3344_5566_7788L))
                .containsExactly(0x55, 0x66, 0x77, (byte) 0x88);
    }

    private static byte[] choose(String... addresses) throws UnknownHostException {
        List<InetAddress> list = new ArrayList<>();
        for (String a : addresses) {
            list.add(InetAddress.getByName(a));
        }
        return HostAddress.choose(list, 0);
    }

    private static byte[] ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal).getAddress();
    }

    @Test
    void localTextIsTheLocalAddressWritten() throws UnknownHostException {
        assertThat(InetAddress.getByName(HostAddress.localText()).getAddress()).isEqualTo(HostAddress.local());
    }
}
