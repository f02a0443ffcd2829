def test_smoke(store, backend):
    a = store.create_article(title="北京大同", body="山西新闻")
    assert [r.id for r in store.search("大同")] == [a.id]
    assert [r.id for r in store.search("京")] == [a.id]
    assert [r.id for r in store.search("北京大同")] == [a.id]
    assert store.db.integrity_problems() == []
