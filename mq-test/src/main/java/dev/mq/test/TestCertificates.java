package dev.mq.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made up for a test: a certificate authority and the server and client certificates it
 * issues, as PEM files RocketMQ's servers, Netty and Spring Boot's SSL bundles all read (X.509
 * certificates, unencrypted PKCS#8 private keys, EC P-256 keys so that generating them is quick).
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority("test-ca");
 * TestCertificates.Issued broker = ca.issue("broker", "127.0.0.1");   // IP subject alternative name
 * TestCertificates.Issued client = ca.issue("client");
 * Path caFile = ca.certificate().writeCertificate(directory);
 * }</pre>
 */
public final class TestCertificates {

    private static final Duration VALIDITY = Duration.ofDays(2);
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    /** A new self-signed certificate authority named {@code CN=name}. */
    public static Authority authority(String name) {
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        X509Certificate certificate = sign(subject, keys.getPrivate(), subject, keys, true, List.of());
        Authority authority = new Authority();
        authority.self = new Issued(name, certificate, keys.getPrivate(), authority);
        return authority;
    }

    /** A certificate authority: issues certificates and is the trust anchor that verifies them. */
    public static final class Authority {

        private Issued self;

        private Authority() {
        }

        /** The authority's own (self-signed) certificate: what a peer trusts. */
        public Issued certificate() {
            return self;
        }

        /**
         * Issues an end-entity certificate for {@code CN=name}, usable by a server and by a client. Each
         * of {@code subjectAlternativeNames} becomes an IP address entry when it is an IP literal, else
         * a DNS name; with none, no host name verification can succeed against it.
         */
        public Issued issue(String name, String... subjectAlternativeNames) {
            KeyPair keys = keyPair();
            X509Certificate certificate = sign(new X500Name(self.certificate.getSubjectX500Principal().getName()),
                    self.privateKey, new X500Name("CN=" + name), keys, false, List.of(subjectAlternativeNames));
            return new Issued(name, certificate, keys.getPrivate(), this);
        }
    }

    /** A certificate with its private key. */
    public static final class Issued {

        private final String name;
        private final X509Certificate certificate;
        private final PrivateKey privateKey;
        private final Authority issuer;

        private Issued(String name, X509Certificate certificate, PrivateKey privateKey, Authority issuer) {
            this.name = name;
            this.certificate = certificate;
            this.privateKey = privateKey;
            this.issuer = issuer;
        }

        public String name() {
            return name;
        }

        public X509Certificate x509() {
            return certificate;
        }

        public PrivateKey privateKey() {
            return privateKey;
        }

        /** Who issued it; an authority's own certificate is its own issuer. */
        public Authority issuer() {
            return issuer;
        }

        /** The certificate as PEM ({@code BEGIN CERTIFICATE}). */
        public String certificatePem() {
            try {
                return pem("CERTIFICATE", certificate.getEncoded());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
        public String privateKeyPem() {
            return pem("PRIVATE KEY", privateKey.getEncoded());
        }

        /** Writes the certificate to {@code directory/<name>.crt} and returns that file. */
        public Path writeCertificate(Path directory) {
            return write(directory.resolve(name + ".crt"), certificatePem());
        }

        /** Writes the private key to {@code directory/<name>.key} and returns that file. */
        public Path writePrivateKey(Path directory) {
            return write(directory.resolve(name + ".key"), privateKeyPem());
        }

        @Override
        public String toString() {
            return "Issued[" + certificate.getSubjectX500Principal() + " by " + certificate.getIssuerX500Principal() + "]";
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC key pair", e);
        }
    }

    private static X509Certificate sign(X500Name issuer, PrivateKey issuerKey, X500Name subject, KeyPair keys,
                                        boolean authority, List<String> alternativeNames) {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            builder.addExtension(Extension.keyUsage, true, authority
                    ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                    : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            if (!alternativeNames.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String name : alternativeNames) {
                    Objects.requireNonNull(name, "subject alternative name");
                    names.add(new GeneralName(isIpLiteral(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate for " + subject, e);
        }
    }

    private static boolean isIpLiteral(String name) {
        return name.contains(":") || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
