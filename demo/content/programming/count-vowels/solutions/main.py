VOWELS = "аеёиоуыэюя"


def count_vowels(text):
    count = 0
    for letter in text.lower():
        if letter in VOWELS:
            count += 1
    return count


print(count_vowels(input()))
