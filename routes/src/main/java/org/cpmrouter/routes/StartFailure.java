package org.cpmrouter.routes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One line that tells an operator why something failed, from an exception and its causes: each distinct message
 * once, outermost first; when none has a message, what its kind means ({@code ConnectException}: connection
 * refused); never a stack trace.
 */
final class StartFailure {

    /** Causes followed at most; a chain longer than this has nothing more to say. */
    private static final int MAX_CAUSES = 8;

    /** {@code java.net.BindException: } inside a message: the operator needs what follows. */
    private static final Pattern CLASS_NAMES = Pattern.compile("\\b([a-z][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error): ");

    private StartFailure() {
    }

    static String describe(Throwable failure) {
        List<String> parts = new ArrayList<>();
        String unnamed = null;
        Throwable t = failure;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() == null || t.getMessage().isBlank()) {
                unnamed = unnamed != null ? unnamed : hint(t);
                continue;
            }
            String message = CLASS_NAMES.matcher(t.getMessage().strip().lines().findFirst().orElse(""))
                    .replaceAll("");
            if (parts.stream().anyMatch(p -> p.contains(message))) {
                continue;
            }
            parts.removeIf(message::contains); // a wrapper that repeats its cause's message adds nothing
            parts.add(message);
        }
        return parts.isEmpty() ? unnamed : String.join(": ", parts);
    }

    /** Whether the failure comes from a port another process holds. */
    static boolean isAddressInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.BindException
                    || t.getMessage() != null && t.getMessage().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** What an exception without a message means, by its kind. */
    private static String hint(Throwable t) {
        if (t instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (t instanceof java.net.BindException) {
            return "address already in use";
        }
        if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException) {
            return "no answer in time";
        }
        return t.getClass().getSimpleName();
    }
}
