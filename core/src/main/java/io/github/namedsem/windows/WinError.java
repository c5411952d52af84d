package io.github.namedsem.windows;

import java.util.Map;

/**
 * The Win32 error codes that semaphore calls report through {@code GetLastError()}, with their
 * symbols.
 */
public final class WinError {
    private WinError() {}

    /** The operation completed successfully. */
    public static final int ERROR_SUCCESS = 0;
    /** No object of that name exists ({@code OpenSemaphoreW}). */
    public static final int ERROR_FILE_NOT_FOUND = 2;
    /** The namespace in the name does not exist, or the name has a backslash elsewhere. */
    public static final int ERROR_PATH_NOT_FOUND = 3;
    /** The caller lacks the requested access rights. */
    public static final int ERROR_ACCESS_DENIED = 5;
    /** The handle is invalid, or the name belongs to another kind of object (mutex, event…). */
    public static final int ERROR_INVALID_HANDLE = 6;
    /** For example an initial count above the maximum, or a maximum of 0. */
    public static final int ERROR_INVALID_PARAMETER = 87;
    /** The name's syntax is wrong. */
    public static final int ERROR_INVALID_NAME = 123;
    /** The name is not a valid path name. */
    public static final int ERROR_BAD_PATHNAME = 161;
    /** {@code CreateSemaphoreExW} opened an existing object instead of creating one. */
    public static final int ERROR_ALREADY_EXISTS = 183;
    /** The name is longer than the system allows. */
    public static final int ERROR_FILENAME_EXCED_RANGE = 206;
    /** Releasing a mutex the caller does not own. */
    public static final int ERROR_NOT_OWNER = 288;
    /** {@code ReleaseSemaphore} would raise the count past the maximum; nothing was released. */
    public static final int ERROR_TOO_MANY_POSTS = 298;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(ERROR_SUCCESS, "ERROR_SUCCESS"),
            Map.entry(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND"),
            Map.entry(ERROR_PATH_NOT_FOUND, "ERROR_PATH_NOT_FOUND"),
            Map.entry(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED"),
            Map.entry(ERROR_INVALID_HANDLE, "ERROR_INVALID_HANDLE"),
            Map.entry(ERROR_INVALID_PARAMETER, "ERROR_INVALID_PARAMETER"),
            Map.entry(ERROR_INVALID_NAME, "ERROR_INVALID_NAME"),
            Map.entry(ERROR_BAD_PATHNAME, "ERROR_BAD_PATHNAME"),
            Map.entry(ERROR_ALREADY_EXISTS, "ERROR_ALREADY_EXISTS"),
            Map.entry(ERROR_FILENAME_EXCED_RANGE, "ERROR_FILENAME_EXCED_RANGE"),
            Map.entry(ERROR_NOT_OWNER, "ERROR_NOT_OWNER"),
            Map.entry(ERROR_TOO_MANY_POSTS, "ERROR_TOO_MANY_POSTS"));

    /**
     * The symbol of an error code.
     *
     * @param code a value of {@code GetLastError()}
     * @return for example {@code "ERROR_TOO_MANY_POSTS"}, or {@code "error N"} for codes not
     *     listed here
     */
    public static String name(int code) {
        String name = NAMES.get(code);
        return name != null ? name : "error " + Integer.toUnsignedString(code);
    }
}
