def count_vowels(text):
    count = 0
    # Пройдите по всем буквам строки и посчитайте гласные
    return count


print(count_vowels(input()))
