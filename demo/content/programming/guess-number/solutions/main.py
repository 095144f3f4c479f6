secret = int(input())
n = int(input())
guessed = False
for attempt in range(1, n + 1):
    guess = int(input())
    if guess < secret:
        print("Больше")
    elif guess > secret:
        print("Меньше")
    else:
        print("Угадали! Попыток:", attempt)
        guessed = True
        break
if not guessed:
    print("Не угадали. Загадано число", secret)
