# Sourced after registry.sh and images.sh by the registry_* and watch_*
# scenarios: push buildah-built images to the test registry, ask skopeo what
# the registry serves.
#
#   image_push NAME REF   pushes image NAME to $REGISTRY_HOST/REF (e.g. app:v1)
#   image_digest REF      the digest skopeo sees for $REGISTRY_HOST/REF

image_push() {
    images_buildah push --quiet --tls-verify=false "$1" "docker://$REGISTRY_HOST/$2" >/dev/null
}

image_digest() {
    skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REGISTRY_HOST/$1"
}
