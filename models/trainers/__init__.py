"""The trainers: their protocol, their configs (with every setting's spec), the MLP, forest and boosting."""
