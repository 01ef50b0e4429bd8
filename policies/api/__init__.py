"""JSON API of the policies app: serializers, readers, viewsets and routes."""
