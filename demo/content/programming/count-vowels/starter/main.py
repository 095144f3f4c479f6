def count_vowels(text):
    count = 0
    # Пройди по всем буквам строки и посчитай гласные
    return count


print(count_vowels(input()))
