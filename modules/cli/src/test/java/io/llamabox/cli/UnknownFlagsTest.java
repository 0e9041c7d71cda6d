package io.llamabox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnknownFlagsTest {
    private static CommandLineResult parse(String... args) {
        return BoxCommandLine.parse(args, Map.of());
    }

    @Test
    void anUnknownFlagIsPassedOverWithTheWordThatFollowsIt() {
        var run = assertInstanceOf(CommandLineResult.Run.class,
                parse("--port", "9000", "--some-future-flag", "10", "-c", "512"));
        assertEquals(List.of("--some-future-flag 10"), run.unknownFlags());
        assertEquals(9000, run.settings().server().port());
        assertEquals(512, run.settings().model().context().size());
    }

    @Test
    void anUnknownSwitchBeforeAKnownFlagSkipsNothingElse() {
        var run = assertInstanceOf(CommandLineResult.Run.class, parse("--future-switch", "-np", "3", "--old-switch"));
        assertEquals(List.of("--future-switch", "--old-switch"), run.unknownFlags());
        assertEquals(3, run.settings().model().context().parallel());
    }

    @Test
    void eachUnknownFlagIsReportedOnceInOrderWithItsSkippedWords() {
        var run = assertInstanceOf(CommandLineResult.Run.class,
                parse("-x", "a", "b", "--y=1", "--z", "-2", "--alias", "m"));
        assertEquals(List.of("-x a b", "--y=1", "--z -2"), run.unknownFlags());
        assertEquals("m", run.settings().server().alias().orElseThrow());
    }

    @Test
    void theRpcServerLineOfALauncherParsesWithItsExtraFacts() {
        var rpc = assertInstanceOf(CommandLineResult.RunRpcServer.class, parse("--rpc-server-host", "0.0.0.0",
                "--rpc-server-port", "50052", "--rpc-server-main-gpu", "0", "--origin-rpc-server-main-gpu", "3",
                "--rpc-server-cache", "--rpc-server-cache-dir", "/tmp/rpc-cache", "--a-flag-of-tomorrow", "x"));
        assertEquals(List.of("--a-flag-of-tomorrow x"), rpc.unknownFlags());
        assertEquals(3, rpc.settings().rpcServer().originMainGpu().orElseThrow());
        assertTrue(rpc.settings().rpcServer().cache());
    }

    @Test
    void strictArgsRefusesAnUnknownFlagWithTodaysMessage() {
        var print = assertInstanceOf(CommandLineResult.PrintAndExit.class,
                parse("--strict-args", "--max-projected-cachee", "10"));
        assertEquals(BoxCommandLine.EXIT_INVALID, print.exitCode());
        assertEquals("error: Unknown options: '--max-projected-cachee', '10'", print.text());
    }

    @Test
    void aKnownFlagWithABadValueStillFails() {
        var print = assertInstanceOf(CommandLineResult.PrintAndExit.class,
                parse("--unknown-one", "--max-projected-cache", "ten"));
        assertEquals("error: invalid value 'ten' for --max-projected-cache: not an integer", print.text());
    }

    @Test
    void aStrayWordThatFollowsNoUnknownFlagIsStillRefused() {
        var print = assertInstanceOf(CommandLineResult.PrintAndExit.class, parse("--metrics", "stray"));
        assertTrue(print.isError());
        assertTrue(print.text().contains("stray"), print.text());
    }

    @Test
    void aKnownFlagKeepsAValueThatLooksLikeAnUnknownFlag() {
        var run = assertInstanceOf(CommandLineResult.Run.class, parse("--alias", "--not-a-flag-here"));
        assertEquals("--not-a-flag-here", run.settings().server().alias().orElseThrow());
        assertEquals(List.of(), run.unknownFlags());
    }

    @Test
    void wordsAfterADoubleDashAreNotFlags() {
        var print = assertInstanceOf(CommandLineResult.PrintAndExit.class, parse("--", "--unknown"));
        assertTrue(print.isError(), print.text());
    }
}
