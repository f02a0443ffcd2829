"""Tag suggestions: tags the newsroom uses found in an article, then new terms (jieba, TF-IDF over our archive).

``engine.SuggestionEngine`` is the entry point; ``suggest.TagSuggester`` does the ranking.
"""
