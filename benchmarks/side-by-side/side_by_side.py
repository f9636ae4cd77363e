#!/usr/bin/env python3
"""PromptUnit's `mvn test` and promptfoo's `promptfoo eval`, side by side, as users run them.

Both tools run the same generated support tickets (exact-match check) against the same local
OpenAI-compatible server (benchmarks' BenchServer in a JVM of its own, so its CPU is nobody's),
runs interleaved, caches off, each run a cold process. Printed per tool and latency: medians with
min-max of wall time, CPU seconds (user + system of the whole process tree: Maven and the Surefire
JVM, or node), peak RSS of the largest process, and the server's active window (first request in
to last answer out) against the ideal (examples x latency / concurrency); then ratios of medians.

Not part of any build. Needs the JDK, Maven with the project's dependencies in ~/.m2 (the first
`mvn verify` fetches them), Node 20.20+ and npm (promptfoo is installed from npm on first use).

    python3 benchmarks/side-by-side/side_by_side.py --examples 2000 --latency 0,50 --runs 5
    python3 benchmarks/side-by-side/side_by_side.py --tools promptunit --runs 3   # cold mvn test only
"""
import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "benchmarks" / "target" / "side-by-side"
VERSION = "0.1.0-SNAPSHOT"
PROMPTFOO = "0.121.20"
TEAMS = ["billing", "technical", "account"]
WORDS = ("hello I was charged twice for my plan this month and the invoice shows the wrong VAT number "
         "since I replaced my router yesterday both cameras show offline please help the app crashes "
         "when I open settings my password reset email never arrives can you refund the duplicate "
         "payment our users get errors on login the export is empty I cannot change my billing address "
         "upgrade downgrade subscription trial card declined two factor code account locked support "
         "firmware update failed device not found sync stopped working slow dashboard timeout again").split()
PROMPT = ("Route the support ticket below to exactly one team: billing, technical or account.\n"
          "Answer with the team name only.\n\nTicket: {{input}}\n")

# What users get, and what the READMEs say to set for large suites.
TOOLS = {
    "promptunit": {"env": {}, "args": []},
    "promptunit-tuned": {"env": {"MAVEN_OPTS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"},
                         "args": ["-q"]},
    "promptfoo": {"env": {}, "args": []},
    "promptfoo-tuned": {"env": {"PROMPTFOO_DISABLE_DEBUG_LOG": "1"}, "args": ["--no-write"]},
}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def examples(n, seed=42):
    rnd = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        team = TEAMS[rnd.randrange(3)]
        words = " ".join(WORDS[rnd.randrange(len(WORDS))] for _ in range(12 + rnd.randrange(29)))
        rows.append((f"t-{i:06d}", f"{words}. (team: {team})", team))
    return rows


def build_promptunit():
    """The engine's jars and poms in a private local repository; everything else comes from ~/.m2."""
    sh(["mvn", "-o", "-q", "-B", "-pl", "benchmarks", "-am", "package", "-DskipTests", "-Dcheckstyle.skip"], cwd=ROOT)
    repo = WORK / "m2"
    for module, artifact in [(".", "promptunit-parent"), ("bom", "promptunit-bom"),
                             ("annotations", "promptunit-annotations"), ("engine", "promptunit-engine"),
                             ("jupiter", "promptunit-jupiter")]:
        target = repo / "io" / "promptunit" / artifact / VERSION
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / module / "pom.xml", target / f"{artifact}-{VERSION}.pom")
        jar = ROOT / module / "target" / f"{artifact}-{VERSION}.jar"
        if jar.exists():
            shutil.copy(jar, target / f"{artifact}-{VERSION}.jar")
    home_repo = Path.home() / ".m2" / "repository"
    (WORK / "settings.xml").write_text(f"""<settings>
  <localRepository>{repo}</localRepository>
  <profiles><profile><id>home</id><activation><activeByDefault>true</activeByDefault></activation>
    <repositories><repository><id>home</id><url>file://{home_repo}</url></repository></repositories>
    <pluginRepositories><pluginRepository><id>home</id><url>file://{home_repo}</url></pluginRepository>
    </pluginRepositories></profile></profiles>
</settings>
""")


def promptunit_project(rows, concurrency, consumer_pom):
    project = WORK / "promptunit-project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "src/test/java/bench").mkdir(parents=True)
    (project / "src/test/resources/prompts").mkdir(parents=True)
    pom = consumer_pom.read_text().replace("<artifactId>router-prompts</artifactId>",
                                           "<artifactId>ticket-prompts</artifactId>")
    (project / "pom.xml").write_text(pom)
    (project / "src/test/java/bench/TicketPromptTest.java").write_text(
        "package bench;\n\nimport io.promptunit.PromptTest;\n\n"
        "@PromptTest(prompt = \"prompts/ticket.prompt\", examples = \"prompts/tickets.jsonl\")\n"
        "class TicketPromptTest {}\n")
    (project / "src/test/resources/prompts/ticket.prompt").write_text(PROMPT)
    with open(project / "src/test/resources/prompts/tickets.jsonl", "w") as out:
        for ident, text, team in rows:
            out.write(json.dumps({"id": ident, "input": text, "expected": team}) + "\n")
    (project / "src/test/resources/junit-platform.properties").write_text(
        f"promptunit.model=openai:gpt-4o-mini\npromptunit.concurrency={concurrency}\npromptunit.cache=off\n")
    return project


def promptfoo_project(rows, base_url):
    project = WORK / "promptfoo-project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    (project / "ticket.txt").write_text(PROMPT)
    tests = [{"description": ident, "vars": {"input": text}, "assert": [{"type": "equals", "value": team}]}
             for ident, text, team in rows]
    (project / "tests.json").write_text(json.dumps(tests))
    (project / "promptfooconfig.yaml").write_text(f"""description: tickets
prompts:
  - file://ticket.txt
providers:
  - id: openai:chat:gpt-4o-mini
    config:
      apiBaseUrl: {base_url}
      apiKey: sk-not-a-real-key
tests: file://tests.json
""")
    return project


def install_promptfoo():
    home = WORK / "promptfoo"
    binary = home / "node_modules" / ".bin" / "promptfoo"
    if not binary.exists():
        home.mkdir(parents=True, exist_ok=True)
        (home / "package.json").write_text('{"private": true}\n')
        sh(["npm", "install", "--no-audit", "--no-fund", f"promptfoo@{PROMPTFOO}"], cwd=home)
    return binary


def control(url, path):
    with urllib.request.urlopen(url + path, timeout=10) as response:
        return response.read().decode()


def run(cmd, cwd, env):
    """Wall seconds, CPU seconds of the process tree, peak RSS (MB) of its largest process, and the output."""
    log = open(WORK / "last-run.log", "w")
    start = time.monotonic()
    process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    log.close()
    output = (WORK / "last-run.log").read_text(errors="replace")
    # promptfoo 0.121 on Node 20 with its debug log on ends a finished eval with "write after end" and exit code 1
    crashed_after = "Eval complete" in output and "write after end" in output
    if os.waitstatus_to_exitcode(status) != 0 and not crashed_after:
        sys.exit(f"{' '.join(cmd)} failed:\n{output[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--latency", default="0,50")
    parser.add_argument("--concurrency", default="64", help="one or more, e.g. 64,32,8")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first (disk caches, npm, Maven)")
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--argline", default=None,
                        help="replace the consumer pom's Surefire argLine (e.g. '' for none)")
    parser.add_argument("--consumer-pom", default=str(ROOT / "readme-check/src/it/consumer/pom.xml"))
    args = parser.parse_args()
    tools = args.tools.split(",")
    WORK.mkdir(parents=True, exist_ok=True)
    rows = examples(args.examples)
    build_promptunit()
    consumer_pom = Path(args.consumer_pom)
    if args.argline is not None:
        text = consumer_pom.read_text()
        import re
        text = re.sub(r"<argLine>.*?</argLine>", "", text, flags=re.S)
        if args.argline:
            text = text.replace("<configuration>", f"<configuration>\n          <argLine>{args.argline}</argLine>", 1)
        consumer_pom = WORK / "consumer-pom.xml"
        consumer_pom.write_text(text)
    promptfoo = install_promptfoo() if any(t.startswith("promptfoo") for t in tools) else None
    classpath = str(ROOT / "benchmarks/target/classes")
    results = {}
    shutil.rmtree(WORK / "promptfoo-home", ignore_errors=True)
    for latency in [int(x) for x in args.latency.split(",")]:
        urls = WORK / "server-urls.txt"
        urls.unlink(missing_ok=True)
        server = subprocess.Popen(["java", "-cp", classpath, "io.promptunit.benchmarks.perf.StandaloneServer",
                                   str(latency), "512", str(urls)], stdout=subprocess.DEVNULL)
        try:
            while not urls.exists() or len(urls.read_text().splitlines()) < 2:
                time.sleep(0.1)
            base_url, control_url = urls.read_text().split()
            for concurrency in [int(x) for x in args.concurrency.split(",")]:
                pu = promptunit_project(rows, concurrency, consumer_pom)
                pf = promptfoo_project(rows, base_url)
                for round_ in range(args.warmup + args.runs):
                    for tool in tools:
                        measure(tool, round_, latency, concurrency, pu, pf, base_url, control_url, promptfoo, args,
                                results)
        finally:
            server.terminate()
            server.wait()
    report(results, tools, args)


def measure(tool, round_, latency, concurrency, pu, pf, base_url, control_url, promptfoo, args, results):
    env = dict(os.environ)
    env.update(TOOLS[tool]["env"])
    if tool.startswith("promptunit"):
        shutil.rmtree(pu / "target", ignore_errors=True)
        cmd = ["mvn", "-B", "-s", str(WORK / "settings.xml"), "test",
               f"-Dpromptunit.openai.base-url={base_url}"] + TOOLS[tool]["args"]
        env["OPENAI_API_KEY"] = "sk-not-a-real-key"
        cwd = pu
    else:
        # its results database persists between runs, as in a user's home
        config_dir = WORK / "promptfoo-home"
        env.update({"PROMPTFOO_CONFIG_DIR": str(config_dir), "PROMPTFOO_DISABLE_TELEMETRY": "1",
                    "PROMPTFOO_DISABLE_UPDATE": "1", "PROMPTFOO_DISABLE_SHARING": "1",
                    "OPENAI_API_KEY": "sk-not-a-real-key"})
        cmd = [str(promptfoo), "eval", "-c", "promptfooconfig.yaml", "--no-cache",
               "--no-progress-bar", "--no-table", "-j", str(concurrency)] + TOOLS[tool]["args"]
        cwd = pf
    control(control_url, "/reset")
    wall, cpu, rss, output = run(cmd, cwd, env)
    requests, in_flight, active_ms = control(control_url, "/stats").split()
    check(tool, output, args.examples, int(requests))
    measured = round_ >= args.warmup
    print(f"{'run' if measured else 'warm-up'} {round_ + 1 - args.warmup} latency {latency} ms c={concurrency} "
          f"{tool}: wall {wall:.2f} s, CPU {cpu:.2f} s, RSS {rss:.0f} MB, requests {requests}, "
          f"max in flight {in_flight}, active {float(active_ms) / 1000:.2f} s", file=sys.stderr)
    if measured:
        results.setdefault((latency, concurrency, tool), []).append(
            (wall, cpu, rss, float(active_ms) / 1000))


def check(tool, output, examples, requests):
    if requests != examples:
        sys.exit(f"{tool}: the server saw {requests} requests, expected {examples}\n{output[-3000:]}")
    # mvn test fails when an example fails: its exit code was checked
    if tool.startswith("promptfoo") and f"{examples} passed" not in output.replace(",", "") \
            and "write after end" not in output:
        sys.exit(f"{tool}: not every example passed\n{output[-3000:]}")


def spread(values, fmt):
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def report(results, tools, args):
    print(f"\n{args.examples} examples, {args.runs} interleaved runs after {args.warmup} warm-up round(s); "
          "medians (min-max)\n")
    print("| latency | concurrency | tool | wall s | CPU s | peak RSS MB | server active s | ideal / active |")
    print("|--:|--:|---|--:|--:|--:|--:|--:|")
    for (latency, concurrency, tool), rows in results.items():
        ideal = args.examples * latency / 1000 / concurrency
        walls, cpus, rsss, actives = zip(*rows)
        share = f"{100 * ideal / statistics.median(actives):.0f}%" if latency else ""
        print(f"| {latency} ms | {concurrency} | {tool} | {spread(walls, '{:.2f}')} | {spread(cpus, '{:.2f}')} | "
              f"{spread(rsss, '{:.0f}')} | {spread(actives, '{:.2f}')} | {share} |")
    print("\nRatios of medians, PromptUnit / promptfoo (below 1: PromptUnit takes less):\n")
    print("| latency | concurrency | pair | wall | CPU | peak RSS |")
    print("|--:|--:|---|--:|--:|--:|")
    for latency, concurrency in sorted({k[:2] for k in results}):
        for pu, pf in [("promptunit", "promptfoo"), ("promptunit-tuned", "promptfoo-tuned")]:
            if (latency, concurrency, pu) in results and (latency, concurrency, pf) in results:
                a, b = results[(latency, concurrency, pu)], results[(latency, concurrency, pf)]
                ratio = [f"{statistics.median(x[i] for x in a) / statistics.median(x[i] for x in b):.2f}x"
                         for i in range(3)]
                print(f"| {latency} ms | {concurrency} | {pu} / {pf} | " + " | ".join(ratio) + " |")


if __name__ == "__main__":
    main()
