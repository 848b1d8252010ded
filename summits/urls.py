app_name = "summits"

urlpatterns: list = []
