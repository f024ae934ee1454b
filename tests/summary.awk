# summary.awk - the summary make test ends with: a line per group of tests
# with its passed and failed counts, the names of the failing tests, and last
# the totals, "N passed, N failed"; exits 1 when anything failed.  It reads
# what tests/logged.sh kept of each group in RESULTS/GROUP.log, and the
# TAP of the browser tests and of the conformance run in RESULTS/GROUP.tap.
# Only a summary line counts a test as passed: a group or a test binary whose log has none, or that
# exited non-zero with no failure named, is a failure named after it.
# Usage: awk -v results=RESULTS -f tests/summary.awk

BEGIN {
    if (results == "")
        results = "build/test-results"
    verdict_group("layers")
    check_group("unit")
    check_group("e2e")
    tap_group("browser")
    tap_group("conformance")
    verdict_group("fault")
    verdict_group("deploy")
    report()
    exit all_failed > 0
}

# A failing test's name, in the order found.
function name(text) {
    names[++nnames] = text
}

function fail(g, text) {
    failed[g]++
    name(text)
}

# The group's log: its exit status line, if any, into status ("exit status
# N") and its last other line into last.
function scan_log(g,    file, line, marker) {
    file = results "/" g ".log"
    marker = "== " g ": "
    status = last = ""
    while ((getline line < file) > 0) {
        if (index(line, marker "exit status ") == 1)
            status = substr(line, length(marker) + 1)
        else if (line != "")
            last = line
    }
    close(file)
    groups[++ngroups] = g
}

# A group that counted no test could not run; one that exited non-zero
# with no failure counted failed all the same.
function finish(g) {
    if (passed[g] + failed[g] == 0)
        fail(g, g ": could not run: " (last != "" ? last : \
             status != "" ? status : "no output in " results "/" g ".log"))
    else if (status != "" && failed[g] == 0)
        fail(g, g ": " status)
}

# Check binaries run by tests/run.sh: "== NAME" before each one's output,
# "== NAME: exit status N" after it when it failed, Check's summary line
# "NN%: Checks: N, Failures: F, Errors: E" and a line
# "file:line:F:tcase:test:..." (E for an error) per failing test.
function check_group(g,    file, line, a) {
    scan_log(g)
    file = results "/" g ".log"
    bin = ""
    while ((getline line < file) > 0) {
        if (line ~ /^== [^ :]+$/) {
            check_binary_end(g)
            bin = substr(line, 4)
            checks = named = 0
            bin_status = ""
        } else if (bin != "" && index(line, "== " bin ": exit status ") == 1) {
            bin_status = substr(line, length(bin) + 6)
        } else if (line ~ ("^[0-9]+%: Checks: [0-9]+, " \
                           "Failures: [0-9]+, Errors: [0-9]+$")) {
            split(line, a, /[^0-9]+/)
            checks += a[2]
            passed[g] += a[2] - a[3] - a[4]
            failed[g] += a[3] + a[4]
        } else if (bin != "" && line ~ /^[^:]+:[0-9]+:[FE]:[^:]*:[^:]*:/) {
            split(line, a, ":")
            name(g " " bin ": " a[4] ":" a[5])
            named++
        }
    }
    close(file)
    check_binary_end(g)
    finish(g)
}

function check_binary_end(g) {
    if (bin == "")
        return
    if (checks == 0)
        fail(g, g " " bin ": " (bin_status != "" ? bin_status ", " : "") \
             "no Check summary")
    else if (bin_status != "" && named == 0)
        fail(g, g " " bin ": " bin_status)
}

# node --test's TAP: "not ok N - name" per failing test, the run's counts
# in its last "# pass N", "# fail N" and "# cancelled N" lines.
function tap_group(g,    file, line, counted, n_pass, n_fail, n_cancelled) {
    scan_log(g)
    file = results "/" g ".tap"
    while ((getline line < file) > 0) {
        if (line ~ /^# pass [0-9]+$/) {
            n_pass = substr(line, 8) + 0
            counted = 1
        } else if (line ~ /^# fail [0-9]+$/) {
            n_fail = substr(line, 8) + 0
        } else if (line ~ /^# cancelled [0-9]+$/) {
            n_cancelled = substr(line, 13) + 0
        } else if (line ~ /^ *not ok [0-9]+ - / && line !~ / # TODO/) {
            sub(/^ *not ok [0-9]+ - /, "", line)
            gsub(/\\#/, "#", line)
            name(g ": " line)
        }
    }
    close(file)
    if (counted) {
        passed[g] += n_pass
        failed[g] += n_fail + n_cancelled
    }
    finish(g)
}

# One program that is one test: it passed when it printed "GROUP: PASS"
# and exited 0; its first "GROUP: FAIL..." or "GROUP: VIOLATION..." line
# says why it failed.
function verdict_group(g,    file, line, pass, reason) {
    scan_log(g)
    file = results "/" g ".log"
    while ((getline line < file) > 0) {
        if (index(line, g ": PASS") == 1)
            pass = 1
        else if (reason == "" && (index(line, g ": FAIL") == 1 || \
                                  index(line, g ": VIOLATION") == 1))
            reason = line
    }
    close(file)
    if (pass && status == "")
        passed[g]++
    else if (reason != "")
        fail(g, reason)
    finish(g)
}

function report(    i, g) {
    print ""
    print "== summary (each group's output: " results "/GROUP.log)"
    for (i = 1; i <= ngroups; i++) {
        g = groups[i]
        printf "%-11s %5d passed, %d failed\n", g, passed[g], failed[g]
        all_passed += passed[g]
        all_failed += failed[g]
    }
    if (nnames) {
        print "failed:"
        for (i = 1; i <= nnames; i++)
            print "  " names[i]
    }
    printf "%d passed, %d failed\n", all_passed, all_failed
}
