package dev.lattice.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request that changes state (POST, PUT, PATCH, DELETE) unless it declares a JSON body.
 * A page on another site can make a browser send a form (url-encoded, multipart or text/plain)
 * with the basic credentials the browser remembers, but it can not set {@code Content-Type:
 * application/json} without the browser asking this server first, which it never allows.
 */
final class JsonOnlyChanges extends OncePerRequestFilter {

    private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (CHANGING.contains(request.getMethod().toUpperCase(Locale.ROOT)) && !json(request.getContentType())) {
            response.sendError(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Requests that change state must send Content-Type: application/json");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equals("application") && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
