n = int(input())
t = list(map(int, input().split()))
# Найдите самую высокую температуру и номер первого дня с ней
