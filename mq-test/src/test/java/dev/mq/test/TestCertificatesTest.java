package dev.mq.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificates TLS tests make up are what the servers and clients will be given. */
class TestCertificatesTest {

    @TempDir
    Path files;

    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void issuedCertificateChainsToItsAuthorityAndNamesItsHosts() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("unit-ca");
        TestCertificates.Issued broker = ca.issue("broker", "127.0.0.1", "broker.example");

        X509Certificate certificate = parse(Files.readString(broker.writeCertificate(files)));
        certificate.verify(ca.certificate().x509().getPublicKey());
        certificate.checkValidity();
        assertThat(certificate.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(7, "127.0.0.1"), List.of(2, "broker.example"));
        assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(ca.certificate().x509().getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
        assertThat(broker.issuer()).isSameAs(ca);
        assertThat(ca.certificate().issuer()).as("self-signed").isSameAs(ca);

        X509Certificate stranger = TestCertificates.authority("other-ca").issue("x").x509();
        assertThatThrownBy(() -> stranger.verify(ca.certificate().x509().getPublicKey()))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void privateKeyIsPkcs8PemMatchingTheCertificate() throws Exception {
        TestCertificates.Issued client = TestCertificates.authority("unit-ca").issue("client");
        String pem = Files.readString(client.writePrivateKey(files));
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        assertThat(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body))))
                .isEqualTo(client.privateKey());
        assertThat(client.x509().getSubjectAlternativeNames()).isNull();
    }
}
