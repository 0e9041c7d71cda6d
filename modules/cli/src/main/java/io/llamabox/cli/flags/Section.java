package io.llamabox.cli.flags;

/** The groups of the usage text, in the order it prints them. */
public enum Section {
    GENERAL("general"),
    SERVER("server"),
    COMPLETION("server/completion"),
    SPECULATIVE("server/completion/speculative"),
    VISUAL("server/completion/visual"),
    EMBEDDING("server/embedding"),
    IMAGES("server/images"),
    RPC_SERVER("rpc-server");

    private final String heading;

    Section(String heading) {
        this.heading = heading;
    }

    /** The heading printed above the group, without its colon. */
    public String heading() {
        return heading;
    }
}
