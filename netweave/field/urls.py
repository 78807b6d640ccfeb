from django.urls import path

from netweave.field import views

app_name = "field"
urlpatterns = [
    path("field/", views.pipeline, name="pipeline"),
    path("field/products/new/", views.product_new, name="product_new"),
    path("field/products/<int:product_id>/", views.product_detail, name="product"),
    path("field/products/<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path("field/products/<int:product_id>/delete/", views.product_delete, name="product_delete"),
    path("field/products/<int:product_id>/stage/", views.product_stage, name="product_stage"),
    path("field/timeline/", views.timeline, name="timeline"),
    path("field/stages/", views.stages, name="stages"),
    path("field/stages/<int:stage_id>/", views.stage_action, name="stage_action"),
    path("field/investments/", views.investments, name="investments"),
    path("field/investments/new/", views.investment_new, name="investment_new"),
    path(
        "field/investments/<int:investment_id>/edit/",
        views.investment_edit,
        name="investment_edit",
    ),
    path(
        "field/investments/<int:investment_id>/delete/",
        views.investment_delete,
        name="investment_delete",
    ),
    path("field/funding/", views.funding, name="funding"),
    path("field/funding/gaps/", views.funding_gaps, name="funding_gaps"),
    path("field/funding/rates/", views.rates, name="rates"),
    path("field/funding/rates/<int:rate_id>/delete/", views.rate_delete, name="rate_delete"),
    path("field/export/products.csv", views.export_products, name="export_products"),
    path("field/export/stage-history.csv", views.export_stage_history, name="export_stage_history"),
    path("field/export/investments.csv", views.export_investments, name="export_investments"),
]
