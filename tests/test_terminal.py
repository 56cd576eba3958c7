from etl.terminal import display_width, text_table


def test_chinese_characters_take_two_columns():
    assert display_width("ab") == 2
    assert display_width("案件") == 4
    assert display_width("（１）") == 6


def test_columns_line_up_with_chinese_cells_and_right_alignment():
    assert text_table(["名称", "n"], [["案件", 12], ["ab", 3]], right_aligned=frozenset({1}), rule=True).splitlines() == [
        "名称   n",
        "----  --",
        "案件  12",
        "ab     3",
    ]
