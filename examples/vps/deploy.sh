#!/bin/sh
# Run by `kiln watch --exec` each time app:latest names a new image, one run at
# a time. kiln sets KILN_IMAGE (HOST:PORT/app@sha256:...) and KILN_DIGEST.
# Pulling by digest deploys exactly the image kiln saw, even if latest moves
# again meanwhile. A failing run is logged by kiln watch; the next new digest
# tries again.
set -eu

: "${KILN_IMAGE:?run me from kiln watch --exec}"
CONTAINER="${CONTAINER:-app}"
PUBLISH="${PUBLISH:-127.0.0.1:8080:8080}"

# kiln watch --now runs this at start too: leave a container that already
# runs this digest alone.
running="$(docker inspect -f '{{.State.Running}} {{index .Config.Labels "kiln.digest"}}' "$CONTAINER" 2>/dev/null || true)"
if [ "$running" = "true $KILN_DIGEST" ]; then
    echo "$CONTAINER already runs $KILN_DIGEST"
    exit 0
fi

docker pull "$KILN_IMAGE"
docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
docker run -d --name "$CONTAINER" --restart unless-stopped -p "$PUBLISH" \
    --label "kiln.digest=$KILN_DIGEST" "$KILN_IMAGE"
# Images of earlier deploys that no container uses any more.
docker image prune -f >/dev/null
echo "deployed $KILN_IMAGE as $CONTAINER"
