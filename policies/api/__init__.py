"""JSON API of the policies app: serializers, querysets, viewsets and routes."""
