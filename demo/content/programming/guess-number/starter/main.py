secret = int(input())
n = int(input())
for attempt in range(1, n + 1):
    guess = int(input())
    # Ответь игроку: Больше, Меньше или Угадал! Попыток: k
