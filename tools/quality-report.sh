#!/usr/bin/env bash
# Writes docs/quality.md from the figures `make bench` measured in this run: the first screen (Lighthouse, the
# app beside the yardstick), the interaction (Event Timing) and the image pipeline. Called by `make bench` after
# they ran; the figures are printed beside their targets.
set -euo pipefail
cd "$(dirname "$0")/.."
first_screen=${1:-target/bench-first-screen.md}
images=${2:-target/bench-images.txt}
interaction=${3:-target/bench-interaction.txt}
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
chromium=$(/usr/bin/chromium --version 2>/dev/null || echo 'Chromium (version unknown)')
{
  echo '# Quality figures'
  echo
  echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD), on $(nproc) cores"
  echo "($cpu), $(free -g | awk '/^Mem:/ {print $2}') GiB, $chromium; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "(1, 5 and 15 minutes) when the runs ended. This file is written by \`make bench\`"
  echo '(tools/quality-report.sh): run it again rather than editing the figures. Budgets that must hold (bundle bytes,'
  echo 'caching and compression headers) are checked by `make test`; the timings here are printed, not asserted, as'
  echo 'the machine is shared.'
  echo
  echo '## First screen on a phone'
  echo
  echo 'Command: `node end2end/bench/lighthouse/first-screen.mjs` (run by `make bench`).'
  echo
  if [ -s "$first_screen" ]; then cat "$first_screen"; else echo '_Not measured in this run._'; fi
  echo
  echo '## Interaction on a phone'
  echo
  echo 'Command: `npx playwright test --config bench.config.ts interaction` in end2end/ (run by `make bench`):'
  echo 'end2end/bench/interaction.bench.ts on the release build as the reference backend serves it, measured by the'
  echo 'page'"'"'s own Event Timing API at 4× CPU slowdown.'
  echo
  if [ -s "$interaction" ]; then
    echo '```text'
    cat "$interaction"
    echo '```'
  else
    echo '_Not measured in this run._'
  fi
  echo
  echo '## Photos'
  echo
  echo 'Command: `npx playwright test --config bench.config.ts images` in end2end/ (run by `make bench`): this app'"'"'s image'
  echo 'pipeline against a bare canvas baseline and browser-image-compression on the same generated photos, at the'
  echo 'settings of public/config.json (`images.target_long_edge`, `images.jpeg_quality`).'
  echo
  if [ -s "$images" ]; then
    echo '```text'
    cat "$images"
    echo '```'
  else
    echo '_Not measured in this run._'
  fi
} > docs/quality.md
echo "wrote docs/quality.md"
