package org.cpmrouter.sip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway TLS material made at test time with the JDK's keytool (no private key is committed): a key pair with
 * a self-signed certificate for 127.0.0.1 in a PKCS12 key store, and a PKCS12 trust store holding only that
 * certificate. For tests.
 */
public final class TestCertificates {

    /** The password of every store made here. */
    public static final String PASSWORD = "test-only-password";

    /** A key store and the trust store that trusts it. */
    public record Identity(String name, Path keyStore, Path trustStore) {
    }

    private TestCertificates() {
    }

    /** Makes {@code name-keys.p12} and {@code name-trust.p12} in dir; EC P-256, valid for two days, for 127.0.0.1. */
    public static Identity create(Path dir, String name) throws IOException, InterruptedException {
        return create(dir, name, "ip:127.0.0.1");
    }

    /**
     * The same for other subject alternative names, in keytool's form ({@code dns:other.example.net},
     * {@code ip:127.0.0.9,dns:a.example}): a certificate that does not name the host it is used on.
     */
    public static Identity create(Path dir, String name, String subjectAlternativeNames)
            throws IOException, InterruptedException {
        Path keys = dir.resolve(name + "-keys.p12");
        Path cert = dir.resolve(name + ".pem");
        Path trust = dir.resolve(name + "-trust.p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name + " test certificate", "-ext", "SAN=" + subjectAlternativeNames, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keys.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keys.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", name, "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trust.toString(), "-storepass", PASSWORD);
        return new Identity(name, keys, trust);
    }

    /** A trust store holding the certificates of several identities. */
    public static Path trustStoreOf(Path dir, String name, Identity... identities)
            throws IOException, InterruptedException {
        Path trust = dir.resolve(name + "-trust.p12");
        for (Identity identity : identities) {
            Path cert = dir.resolve(identity.name() + ".pem");
            keytool("-importcert", "-noprompt", "-alias", identity.name(), "-file", cert.toString(),
                    "-storetype", "PKCS12", "-keystore", trust.toString(), "-storepass", PASSWORD);
        }
        return trust;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("keytool", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
