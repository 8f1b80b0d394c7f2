#!/bin/sh
# Builds the libFuzzer targets and runs each for a fixed number of executions.
#   fuzz/run.sh [RUNS] [TARGET...]      RUNS defaults to 1000000; TARGETs: rules csv xlsx engine
# Needs a Swift toolchain whose swiftc supports -sanitize=fuzzer (Linux, /opt/swift).
# Crashes are written to fuzz/artifacts/TARGET/; add each as a case in
# Tests/DabiaoCoreTests/Input/FuzzRegressionTests.swift.
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-1000000}
[ $# -gt 0 ] && shift
TARGETS=${*:-rules csv xlsx engine}
SWIFTC=${SWIFTC:-swiftc}
mkdir -p fuzz/build
# The package's build plugin compiles Resources/ into Swift source; swiftc
# alone does not run plugins, so the same tool is run here.
"$SWIFTC" -O Sources/EmbedResourcesTool/main.swift -o fuzz/build/embed-resources
fuzz/build/embed-resources Sources/DabiaoCore/Resources fuzz/build/EmbeddedResources.swift
SOURCES="$(find Sources/DabiaoCore -name '*.swift' | sort) fuzz/build/EmbeddedResources.swift"
for t in $TARGETS; do
    # Rebuild only when a source is newer than the binary (a build takes minutes).
    if [ ! -x "fuzz/build/$t" ] || [ -n "$(find Sources/DabiaoCore fuzz/shared "fuzz/targets/$t.swift" -name '*.swift' -newer "fuzz/build/$t")" ]; then
        echo "== building $t"
        # shellcheck disable=SC2086
        case $t in
            csv|xlsx) SHARED=fuzz/shared/schema.swift ;;
            *) SHARED= ;;
        esac
        # The engine target runs whole checks (several per input) and holds no
        # unsafe code of its own: without AddressSanitizer it is about twice
        # as fast, and Swift's own checks (bounds, overflow) still trap. The
        # readers' unsafe buffers are fuzzed with it, by the csv and xlsx targets.
        case $t in
            engine) SANITIZE=fuzzer ;;
            *) SANITIZE=fuzzer,address ;;
        esac
        "$SWIFTC" -sanitize=$SANITIZE -parse-as-library -O -swift-version 6 -module-name DabiaoFuzz \
            $SOURCES $SHARED "fuzz/targets/$t.swift" -o "fuzz/build/$t"
    fi
    mkdir -p "fuzz/artifacts/$t" "fuzz/build/corpus-$t"
    case $t in
        xlsx) MAXLEN=65536 ;;
        *) MAXLEN=8192 ;;
    esac
    echo "== running $t for $RUNS executions"
    # New inputs go to the scratch corpus; the committed seeds stay as they are.
    # Leak checking is off: the Swift runtime keeps metadata caches that LeakSanitizer
    # would scan for after every input, slowing the run a hundredfold.
    "fuzz/build/$t" -runs="$RUNS" -max_len="$MAXLEN" -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 \
        -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 \
        "fuzz/build/corpus-$t" "fuzz/corpus/$t"
done
