secret = int(input())
n = int(input())
for attempt in range(1, n + 1):
    guess = int(input())
    # Ответьте игроку: Больше, Меньше или Угадали! Попыток: k
