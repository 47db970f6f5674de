#!/bin/sh
# link-debs.sh DIR CACHE: hard links (copies across file systems) in DIR of
# every .deb in the host's apt cache and in CACHE/debs (what earlier runs
# downloaded), so that apt in the fresh root downloads only what neither
# holds; apt checks each file's hash before it takes it. Run by run.sh and,
# for the bootstrap, as mmdebstrap's setup hook.
set -eu
dir="$1" cache="$2"
mkdir -p "$dir"
for source in /var/cache/apt/archives "$cache/debs"; do
    [ -d "$source" ] || continue
    find "$source" -maxdepth 1 -name '*.deb' -exec cp -al --no-clobber -t "$dir" {} + 2>/dev/null ||
        find "$source" -maxdepth 1 -name '*.deb' -exec cp --no-clobber -t "$dir" {} +
done
