"""JSON API of the therapies app: serializers, querysets, viewsets and routes."""
