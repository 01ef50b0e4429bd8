"""JSON API of the therapies app: serializers, readers, viewsets and routes."""
