import pytest

from netweave.lib.markdown import render_markdown
from netweave.lib.search import query_tokens


class MarkdownTests:
    def test_it_keeps_formatting_and_removes_scripts_and_handlers(self):
        html = str(
            render_markdown(
                '# T\n\n**b** <img src=x onerror="alert(1)"> [x](javascript:alert(1)) <a href="https://ok.org" onclick="x()">ok</a>'
            )
        )
        assert "<strong>b</strong>" in html
        assert "onerror" not in html and "javascript:" not in html and "onclick" not in html
        assert 'href="https://ok.org"' in html and "nofollow" in html


class QueryTokenTests:
    def test_it_drops_operators_and_limits_the_number_of_words(self):
        assert query_tokens("a OR b* NEAR(c)") == ["a", "or", "b", "near", "c"]
        assert len(query_tokens(" ".join(["w"] * 50))) == 8


@pytest.mark.django_db
class HealthTests:
    def test_healthz_answers_200_when_the_database_answers(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200 and response.json()["status"] == "ok"
