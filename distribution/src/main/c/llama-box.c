/*
 * bin/llama-box: starts the image's Java runtime through the dynamic loader that the image carries in
 * lib/sys, with lib/sys (the C and C++ runtime libraries the image was built with) on its library path.
 * The server then never uses the host's C library, whatever its version. Linked statically, this
 * launcher needs nothing from the host either: no shell, no loader (an OCI image holds no /bin/sh).
 * The image is found from /proc/self/exe, so it runs from any path, through symlinks, with spaces.
 * Extra JVM options: LLAMABOX_JAVA_OPTS, split at white space (they come after the launcher's own, so they win).
 * An image server (--images) gets a small Java heap: its memory is stable-diffusion.cpp's, outside the heap.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LOADER
#error "build with -DLOADER='\"ld-linux-x86-64.so.2\"': the dynamic loader's file name in lib/sys"
#endif

static char *concat(const char *a, const char *b, const char *c) {
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s == NULL) {
        fputs("llama-box: out of memory\n", stderr);
        exit(127);
    }
    snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/* the image's root: bin/llama-box's own resolved path, less "/bin/llama-box" */
static char *image_home(void) {
    static char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n < 0) {
        fprintf(stderr, "llama-box: cannot read /proc/self/exe (%s): /proc must be mounted\n", strerror(errno));
        exit(127);
    }
    exe[n] = '\0';
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(exe, '/');
        if (slash == NULL) {
            fprintf(stderr, "llama-box: %s is not inside a runtime image\n", exe);
            exit(127);
        }
        *slash = '\0';
    }
    return exe;
}

/* whether the command line serves an image model (--images) */
static int image_server(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--images") == 0) {
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *home = image_home();
    char *java = concat(home, "/bin/java", "");
    char *aot = concat(home, "/lib/llama-box.aot", "");
    char *native = concat(home, "/lib/native", "");
    const char *host_path = getenv("LD_LIBRARY_PATH");
    /* the image's libraries first; the host's LD_LIBRARY_PATH after them, for an accelerator's driver */
    char *library_path = concat(native, concat(":", home, "/lib/sys"), concat(":", home, "/lib"));
    library_path = concat(library_path, concat(":", home, "/lib/server"),
            host_path != NULL && *host_path ? concat(":", host_path, "") : "");

    char *opts = getenv("LLAMABOX_JAVA_OPTS");
    opts = opts != NULL ? strdup(opts) : strdup("");
    size_t max = (size_t) argc + strlen(opts) / 2 + 16;
    char **args = calloc(max, sizeof *args);
    if (args == NULL || opts == NULL) {
        fputs("llama-box: out of memory\n", stderr);
        return 127;
    }
    size_t n = 0;
    args[n++] = concat(home, "/lib/sys/", LOADER);
    args[n++] = "--library-path";
    args[n++] = library_path;
    args[n++] = "--argv0";
    args[n++] = java;
    args[n++] = java;
    if (access(aot, R_OK) == 0) {
        args[n++] = concat("-XX:AOTCache=", aot, "");
    }
    if (image_server(argc, argv)) {
        /* the serial collector and an initial heap of 16 MiB keep the JVM's own share of resident memory
           small (about 40 MB less at the peak of a 512x512 generation than G1's defaults) */
        args[n++] = "-XX:+UseSerialGC";
        args[n++] = "-Xms16m";
    }
    for (char *save = NULL, *opt = strtok_r(opts, " \t\n", &save); opt != NULL; opt = strtok_r(NULL, " \t\n", &save)) {
        args[n++] = opt;
    }
    /* the backend probe checks a plugin's libraries where this loader looks for them */
    args[n++] = concat("-Dllamabox.loader.library.path=", library_path, "");
    args[n++] = "-Djava.awt.headless=true";
    args[n++] = "--enable-native-access=io.llamabox.jni,io.llamabox.image.jni";
    args[n++] = concat("-Dllamabox.library.path=", native, "");
    args[n++] = concat("-Dllamabox.image.library.path=", native, "");
    args[n++] = concat("-Dllamabox.ggml.backends=", home, "/lib/ggml");
    args[n++] = "-m";
    args[n++] = "io.llamabox.cli/io.llamabox.cli.launch.Main";
    for (int i = 1; i < argc; i++) {
        args[n++] = argv[i];
    }
    args[n] = NULL;
    execv(args[0], args);
    fprintf(stderr, "llama-box: cannot start %s: %s\n", args[0], strerror(errno));
    return 127;
}
